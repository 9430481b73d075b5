import { objectsFromValue, parseManifestFile } from './parseManifests';

const cm = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
});

describe('parseManifestFile', () => {
  it('reads every document of a multi-document YAML file', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';
    expect(parseManifestFile('app/x.yaml', text)).toEqual([cm('a'), cm('b')]);
  });

  it('skips empty documents and comment-only ones, as kubectl does', () => {
    const text =
      '---\n---\n# nothing here\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n';
    expect(parseManifestFile('app/x.yaml', text)).toEqual([cm('a')]);
    expect(parseManifestFile('app/empty.yaml', '\n')).toEqual([]);
  });

  it('reads a JSON file', () => {
    expect(parseManifestFile('app/x.json', JSON.stringify(cm('j')))).toEqual([
      cm('j'),
    ]);
  });

  it('expands List kinds into their items', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [cm('a'), cm('b')] };
    const typed = { apiVersion: 'v1', kind: 'ConfigMapList', items: [cm('c')] };
    const empty = { apiVersion: 'v1', kind: 'List', items: null };

    expect(parseManifestFile('app/l.json', JSON.stringify(list))).toEqual([
      cm('a'),
      cm('b'),
    ]);
    expect(parseManifestFile('app/t.json', JSON.stringify(typed))).toEqual([
      cm('c'),
    ]);
    expect(parseManifestFile('app/e.json', JSON.stringify(empty))).toEqual([]);
  });

  it('keeps YAML 1.2 strings and resolves merge keys', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nbase: &b {x: "1"}\ndata:\n  <<: *b\n  flag: yes\n';
    expect(parseManifestFile('app/x.yaml', text)[0].data).toEqual({
      x: '1',
      flag: 'yes',
    });
  });

  it('refuses a YAML alias bomb, naming the file', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const text = `apiVersion: v1\nkind: ConfigMap\n${levels.join('\n')}\n`;

    expect(() => parseManifestFile('app/bomb.yaml', text)).toThrow(
      expect.objectContaining({
        code: 'InvalidManifest',
        file: 'app/bomb.yaml',
        message: expect.stringMatching(/app\/bomb\.yaml.*alias/),
      }),
    );
  });

  it('refuses documents nested deeper than the limit', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(
      150,
    )}${']'.repeat(150)}\n`;
    expect(() => parseManifestFile('app/deep.yaml', deep)).toThrow(
      expect.objectContaining({
        code: 'InvalidManifest',
        message: expect.stringMatching(/app\/deep\.yaml.*nested/),
      }),
    );
    const deepJson = `{"apiVersion":"v1","kind":"X","a":${'['.repeat(
      5000,
    )}${']'.repeat(5000)}}`;
    expect(() => parseManifestFile('app/deep.json', deepJson)).toThrow(
      /nested/,
    );
  });

  it('refuses nesting so deep the YAML parser gives up', () => {
    const text = `a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    expect(() => parseManifestFile('app/abyss.yaml', text)).toThrow(
      expect.objectContaining({
        code: 'InvalidManifest',
        message: expect.stringMatching(/nested/),
      }),
    );
  });

  it.each([
    ['a list', '- a\n- b\n', /found a list/],
    ['a string', 'just text\n', /found string/],
  ])('refuses a document that is %s', (_, text, pattern) => {
    expect(() => parseManifestFile('app/bad.yaml', text)).toThrow(
      expect.objectContaining({
        code: 'InvalidManifest',
        file: 'app/bad.yaml',
        message: expect.stringMatching(pattern),
      }),
    );
  });

  it('refuses an object without kind or apiVersion, naming the document', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n';
    expect(() => parseManifestFile('app/x.yaml', text)).toThrow(
      'app/x.yaml line 5 (document 2): object has no kind (apiVersion v1)',
    );
    expect(() => parseManifestFile('app/y.yaml', 'kind: ConfigMap\n')).toThrow(
      /has no apiVersion/,
    );
  });

  it('reports invalid YAML with its line', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n  b: c: d\n';
    expect(() => parseManifestFile('app/x.yaml', text)).toThrow(
      expect.objectContaining({
        code: 'InvalidManifest',
        message: expect.stringMatching(/^app\/x\.yaml line [45]: invalid YAML/),
      }),
    );
  });

  it('reports invalid JSON', () => {
    expect(() => parseManifestFile('app/x.json', '{"kind": }')).toThrow(
      /app\/x\.json: invalid JSON/,
    );
  });

  it('refuses duplicate keys, as kubectl does', () => {
    expect(() =>
      parseManifestFile('app/x.yaml', 'apiVersion: v1\nkind: A\nkind: B\n'),
    ).toThrow(/invalid YAML/);
  });
});

describe('objectsFromValue', () => {
  it('applies the file rules to a value a tool produced', () => {
    expect(objectsFromValue('a.jsonnet', cm('a'))).toEqual([cm('a')]);
    expect(objectsFromValue('a.jsonnet', null)).toEqual([]);
    expect(
      objectsFromValue('a.jsonnet', {
        apiVersion: 'v1',
        kind: 'List',
        items: [cm('b')],
      }),
    ).toEqual([cm('b')]);
  });

  it('names the file and place of what it refuses', () => {
    expect(() =>
      objectsFromValue('a.jsonnet', [cm('a')], undefined, ' (item 2)'),
    ).toThrow(
      expect.objectContaining({
        code: 'InvalidManifest',
        file: 'a.jsonnet',
        message:
          'a.jsonnet (item 2): expected a Kubernetes object, found a list',
      }),
    );
    let deep: unknown = cm('deep');
    for (let i = 0; i < 5; i++) deep = { ...cm('x'), nested: deep };
    expect(() =>
      objectsFromValue('a.jsonnet', deep, { maxAliasCount: 1, maxDepth: 4 }),
    ).toThrow(
      expect.objectContaining({
        message: 'a.jsonnet: nested deeper than 4 levels',
      }),
    );
  });

  it('reads YAML when told to, whatever the file is called', () => {
    expect(
      parseManifestFile(
        't.json',
        'apiVersion: v1\nkind: ConfigMap\n',
        undefined,
        'yaml',
      ),
    ).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap' }]);
  });
});
