/** One entry of `git ls-tree -l -z`. */
export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** Bytes of a blob; undefined for trees and submodules. */
  size?: number;
  /** Path relative to the listed tree, `/`-separated. */
  path: string;
}

export const SYMLINK_MODE = '120000';
export const SUBMODULE_MODE = '160000';

/**
 * Parses `git ls-tree -l -z` output: `<mode> <type> <oid> <size>\t<path>\0`.
 * `-z` keeps paths verbatim, so names with tabs, newlines or quotes survive.
 */
export function parseLsTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const match =
      /^(\d{6}) (blob|tree|commit) ([0-9a-f]{40,64}) +(\d+|-)$/.exec(
        record.slice(0, tab),
      );
    if (tab < 0 || !match) {
      throw new Error(`unexpected git ls-tree output: ${record.slice(0, 80)}`);
    }
    entries.push({
      mode: match[1],
      type: match[2] as TreeEntry['type'],
      oid: match[3],
      size: match[4] === '-' ? undefined : Number(match[4]),
      path: record.slice(tab + 1),
    });
  }
  return entries;
}

/**
 * Parses `git cat-file --batch` output: for each object a header line
 * `<oid> <type> <size>\n`, then exactly `<size>` bytes, then `\n`. Objects
 * are sliced by byte count, so binary content is returned untouched.
 */
export function parseCatFileBatch(output: Buffer): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  let offset = 0;
  while (offset < output.length) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0) throw new Error('truncated git cat-file output');
    const header = output.toString('utf8', offset, newline);
    const match = /^([0-9a-f]{40,64}) \w+ (\d+)$/.exec(header);
    if (!match) {
      throw new Error(`unexpected git cat-file output: ${header.slice(0, 80)}`);
    }
    const start = newline + 1;
    const end = start + Number(match[2]);
    if (end > output.length) throw new Error('truncated git cat-file output');
    objects.set(match[1], output.subarray(start, end));
    offset = end + 1;
  }
  return objects;
}

/**
 * Parses `git cat-file --batch-check` output, one line per input line:
 * `<oid> <type> <size>`, or `<input> missing` when the object does not exist.
 */
export function parseBatchCheck(output: string): (string | undefined)[] {
  return output
    .split('\n')
    .filter(line => line !== '')
    .map(line => /^([0-9a-f]{40,64}) \w+ \d+$/.exec(line)?.[1]);
}
