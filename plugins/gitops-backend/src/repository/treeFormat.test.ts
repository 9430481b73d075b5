import { parseBatchCheck, parseCatFileBatch, parseLsTree } from './treeFormat';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('parseLsTree', () => {
  it('reads modes, types, sizes and verbatim paths', () => {
    const output = [
      `100644 blob ${A}      12\tapps/a b.yaml`,
      `120000 blob ${B}       9\tlink\twith tab`,
      `160000 commit ${A}       -\tvendor/sub`,
      '',
    ].join('\0');

    expect(parseLsTree(output)).toEqual([
      { mode: '100644', type: 'blob', oid: A, size: 12, path: 'apps/a b.yaml' },
      { mode: '120000', type: 'blob', oid: B, size: 9, path: 'link\twith tab' },
      {
        mode: '160000',
        type: 'commit',
        oid: A,
        size: undefined,
        path: 'vendor/sub',
      },
    ]);
  });

  it('refuses output it does not understand', () => {
    expect(() => parseLsTree('garbage\0')).toThrow(
      /unexpected git ls-tree output/,
    );
  });
});

describe('parseCatFileBatch', () => {
  it('slices objects by their byte size, keeping binary content', () => {
    const binary = Buffer.from([0, 10, 255, 10]);
    const output = Buffer.concat([
      Buffer.from(`${A} blob 4\n`),
      binary,
      Buffer.from(`\n${B} blob 3\nhi\n\n`),
    ]);

    const objects = parseCatFileBatch(output);

    expect(objects.get(A)).toEqual(binary);
    expect(objects.get(B)?.toString()).toBe('hi\n');
  });

  it('refuses a missing object and truncated output', () => {
    expect(() => parseCatFileBatch(Buffer.from(`${A} missing\n`))).toThrow();
    expect(() =>
      parseCatFileBatch(Buffer.from(`${A} blob 10\nshort\n`)),
    ).toThrow(/truncated/);
  });
});

describe('parseBatchCheck', () => {
  it('gives the id of each object, or undefined when missing', () => {
    expect(
      parseBatchCheck(`${A} tree 30\nxyz:apps missing\n${B} blob 2\n`),
    ).toEqual([A, undefined, B]);
  });
});
