import { findJsonnetImports } from './jsonnetImports';

const paths = (source: string) =>
  findJsonnetImports(source).map(i => `${i.kind} ${i.path}`);

describe('findJsonnetImports', () => {
  it('finds the three kinds of import with their lines', () => {
    expect(
      findJsonnetImports(
        [
          "local k = import 'k.libsonnet';",
          'local cfg = importstr "cfg.txt";',
          '{ bin: importbin @"a.bin", k: k }',
        ].join('\n'),
      ),
    ).toEqual([
      { kind: 'import', path: 'k.libsonnet', line: 1 },
      { kind: 'importstr', path: 'cfg.txt', line: 2 },
      { kind: 'importbin', path: 'a.bin', line: 3 },
    ]);
  });

  it('decodes escapes, so a spelled-out slash is still seen', () => {
    expect(paths('import "\\u002fetc/passwd"')).toEqual(['import /etc/passwd']);
    expect(paths("import '..\\/x'")).toEqual(['import ../x']);
    expect(paths('import @"a""b"')).toEqual(['import a"b']);
  });

  it('ignores the words in comments and strings', () => {
    expect(
      paths(
        [
          '// import "/etc/a"',
          '# import "/etc/b"',
          '/* import "/etc/c" */',
          '{ s: "import \'/etc/d\'", t: @\'import "/etc/e"\' }',
          '{ u: |||',
          '    import "/etc/f"',
          '  |||,',
          '  importer: 1, imports: 2 }',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('sees imports right after strings, comments and text blocks', () => {
    expect(
      paths(
        [
          '{ a: |||',
          '    text',
          '  |||, b: import "after-block" }',
          '/* c */ import "after-comment" + "s" + import "after-string"',
          '1+import "after-number"',
        ].join('\n'),
      ),
    ).toEqual([
      'import after-block',
      'import after-comment',
      'import after-string',
      'import after-number',
    ]);
  });

  it('allows comments between the keyword and its path', () => {
    expect(paths('import /* why */ "a" + import // x\n "b"')).toEqual([
      'import a',
      'import b',
    ]);
  });

  it('ends a text block only at a less indented |||', () => {
    expect(
      paths(
        [
          'local t = |||-',
          '    a',
          '',
          '    ||| still text import "/no"',
          '  |||;',
          'import "yes"',
        ].join('\n'),
      ),
    ).toEqual(['import yes']);
  });

  it.each([
    ['a computed import', 'import ("a" + "b")'],
    ['an import of a text block', 'import |||\n  a\n|||'],
    ['an unterminated string', 'import "a'],
    ['an unterminated comment', '/* import "a"'],
    ['an unknown escape', 'import "\\q"'],
  ])('refuses %s', (_name, source) => {
    expect(() => findJsonnetImports(source)).toThrow();
  });
});
