import { diffLines } from 'diff';

export type DiffLine = {
  kind: 'same' | 'added' | 'removed';
  text: string;
};

export type SideBySideRow = { live?: DiffLine; desired?: DiffLine };

/** Live (before) against desired (after), line by line. */
export function unifiedLines(
  liveText: string,
  desiredText: string,
): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(liveText, desiredText)) {
    let kind: DiffLine['kind'] = 'same';
    if (part.added) kind = 'added';
    else if (part.removed) kind = 'removed';
    const texts = part.value.replace(/\n$/, '').split('\n');
    for (const text of texts) lines.push({ kind, text });
  }
  return lines;
}

/**
 * The same lines in two columns: unchanged lines side by side, a removed
 * block next to the added block that replaces it.
 */
export function sideBySideRows(lines: DiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ live: removed[i], desired: added[i] });
    }
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.kind === 'removed') removed.push(line);
    else if (line.kind === 'added') added.push(line);
    else {
      flush();
      rows.push({ live: line, desired: line });
    }
  }
  flush();
  return rows;
}
