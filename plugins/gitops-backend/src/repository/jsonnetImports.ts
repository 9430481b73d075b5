const WORD = /[A-Za-z0-9_]+/y;
const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

export type JsonnetImportKind = 'import' | 'importstr' | 'importbin';

export interface JsonnetImport {
  kind: JsonnetImportKind;
  path: string;
  line: number;
}

/**
 * Finds every `import`, `importstr` and `importbin` in Jsonnet source.
 *
 * The jsonnet binary reads any file an import names, absolute paths and
 * `../..` included, and has no option to confine it. Jsonnet only allows a
 * string literal after these keywords (no computed imports), so scanning the
 * source finds them all, as long as the scanner agrees with Jsonnet's lexer
 * on what is a comment or a string; this is that much of the lexer. It
 * errs towards finding too much: a keyword followed by anything but a plain
 * string literal is an error here (Jsonnet refuses it too).
 *
 * Throws an Error with a message (the caller names the file) when the
 * source cannot be scanned.
 */
export function findJsonnetImports(source: string): JsonnetImport[] {
  const imports: JsonnetImport[] = [];
  let i = 0;
  const n = source.length;
  const lineAt = (pos: number) => source.slice(0, pos).split('\n').length;

  function skipSpaceAndComments(): void {
    for (;;) {
      if (i < n && /\s/.test(source[i])) {
        i += 1;
      } else if (source[i] === '#' || source.startsWith('//', i)) {
        const end = source.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (source.startsWith('/*', i)) {
        const end = source.indexOf('*/', i + 2);
        if (end < 0) throw new Error(`unterminated comment, line ${lineAt(i)}`);
        i = end + 2;
      } else {
        return;
      }
    }
  }

  /** Reads the string literal at `i`, if there is one; advances past it. */
  function readString(): { value: string; block: boolean } | undefined {
    const start = i;
    const c = source[i];
    if (c === '"' || c === "'") {
      i += 1;
      let value = '';
      while (i < n && source[i] !== c) {
        if (source[i] === '\\') {
          value += unescape(source, i, lineAt);
          i += source[i + 1] === 'u' ? 6 : 2;
        } else {
          value += source[i];
          i += 1;
        }
      }
      if (i >= n) throw new Error(`unterminated string, line ${lineAt(start)}`);
      i += 1;
      return { value, block: false };
    }
    if (c === '@' && (source[i + 1] === '"' || source[i + 1] === "'")) {
      const quote = source[i + 1];
      i += 2;
      let value = '';
      for (;;) {
        if (i >= n) {
          throw new Error(`unterminated string, line ${lineAt(start)}`);
        }
        if (source[i] === quote) {
          if (source[i + 1] !== quote) break;
          i += 1;
        }
        value += source[i];
        i += 1;
      }
      i += 1;
      return { value, block: false };
    }
    if (source.startsWith('|||', i)) {
      skipTextBlock();
      return { value: '', block: true };
    }
    return undefined;
  }

  // Jsonnet's rules: `|||` (or `|||-`), spaces, a newline; the first line's
  // indentation is the block's; lines with it (or empty ones) are content;
  // the first other line must be whitespace then `|||`, which ends it.
  function skipTextBlock(): void {
    const start = i;
    i += source[i + 3] === '-' ? 4 : 3;
    while (i < n && /[ \t\r]/.test(source[i])) i += 1;
    if (source[i] !== '\n') {
      throw new Error(`text block needs a new line, line ${lineAt(start)}`);
    }
    i += 1;
    while (source[i] === '\n') i += 1;
    const indent = /^[ \t]*/.exec(source.slice(i))![0];
    if (indent === '') {
      throw new Error(`text block not indented, line ${lineAt(start)}`);
    }
    for (;;) {
      if (i >= n) {
        throw new Error(`unterminated text block, line ${lineAt(start)}`);
      }
      if (source[i] === '\n') {
        i += 1;
      } else if (source.startsWith(indent, i)) {
        const end = source.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else {
        while (source[i] === ' ' || source[i] === '\t') i += 1;
        if (!source.startsWith('|||', i)) {
          throw new Error(`text block not terminated, line ${lineAt(start)}`);
        }
        i += 3;
        return;
      }
    }
  }

  while (i < n) {
    skipSpaceAndComments();
    if (i >= n) break;
    const c = source[i];
    if (/[A-Za-z_]/.test(c)) {
      WORD.lastIndex = i;
      const word = WORD.exec(source)![0];
      const at = i;
      i += word.length;
      if (word === 'import' || word === 'importstr' || word === 'importbin') {
        skipSpaceAndComments();
        const literal = readString();
        if (!literal || literal.block) {
          throw new Error(
            `${word} must be followed by a string literal, line ${lineAt(at)}`,
          );
        }
        imports.push({ kind: word, path: literal.value, line: lineAt(at) });
      }
    } else if (/[0-9]/.test(c)) {
      // Numbers end where Jsonnet's do, so `1import` still shows the import.
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(source)![0];
      i += number.length;
    } else if (!readString()) {
      i += 1;
    }
  }
  return imports;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function unescape(
  source: string,
  i: number,
  lineAt: (pos: number) => number,
): string {
  const next = source[i + 1];
  if (next === 'u') {
    const hex = source.slice(i + 2, i + 6);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
      throw new Error(`invalid \\u escape, line ${lineAt(i)}`);
    }
    return String.fromCharCode(parseInt(hex, 16));
  }
  const escaped = ESCAPES[next];
  if (escaped === undefined) {
    throw new Error(`unknown escape \\${next ?? ''}, line ${lineAt(i)}`);
  }
  return escaped;
}
