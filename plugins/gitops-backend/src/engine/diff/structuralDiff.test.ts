import { alignNamedLists, diffValues, toYaml } from './structuralDiff';

describe('diffValues', () => {
  it('is empty for equal values whatever the key order', () => {
    expect(
      diffValues({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }),
    ).toEqual([]);
  });

  it('reports add, remove and replace with JSON pointers', () => {
    expect(
      diffValues(
        { spec: { replicas: 3, paused: true, 'a/b': 'x' } },
        { spec: { replicas: 2, minReadySeconds: 5, 'a/b': 'y' } },
      ),
    ).toEqual([
      { path: '/spec/a~1b', op: 'replace', desired: 'x', live: 'y' },
      { path: '/spec/minReadySeconds', op: 'remove', live: 5 },
      { path: '/spec/paused', op: 'add', desired: true },
      { path: '/spec/replicas', op: 'replace', desired: 3, live: 2 },
    ]);
  });

  it('compares plain lists by index', () => {
    expect(diffValues({ args: ['a', 'b', 'c'] }, { args: ['a', 'c'] })).toEqual(
      [
        { path: '/args/1', op: 'replace', desired: 'b', live: 'c' },
        { path: '/args/2', op: 'add', desired: 'c' },
      ],
    );
  });

  it('matches named items by name: one insertion is one change', () => {
    const live = [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ];
    const desired = [{ name: 'NEW', value: '0' }, ...live];
    expect(diffValues({ env: desired }, { env: live })).toEqual([
      { path: '/env/0', op: 'add', desired: { name: 'NEW', value: '0' } },
    ]);
  });

  it('does not count a reorder of named items, but sees changes inside them', () => {
    const live = [
      { name: 'cart', image: 'cart:1' },
      { name: 'metrics', image: 'exporter:1' },
    ];
    const desired = [
      { name: 'metrics', image: 'exporter:2' },
      { name: 'cart', image: 'cart:1' },
    ];
    expect(diffValues({ c: desired }, { c: live })).toEqual([
      {
        path: '/c/0/image',
        op: 'replace',
        desired: 'exporter:2',
        live: 'exporter:1',
      },
    ]);
  });

  it('reports a removed named item at its live index', () => {
    const live = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    expect(
      diffValues({ v: [{ name: 'a' }, { name: 'c' }] }, { v: live }),
    ).toEqual([{ path: '/v/1', op: 'remove', live: { name: 'b' } }]);
  });

  it('falls back to indexes when names repeat', () => {
    const mounts = (p: string) => [
      { name: 'data', mountPath: '/a' },
      { name: 'data', mountPath: p },
    ];
    expect(diffValues({ m: mounts('/b') }, { m: mounts('/c') })).toEqual([
      { path: '/m/1/mountPath', op: 'replace', desired: '/b', live: '/c' },
    ]);
  });

  it('replaces a value whose type changed', () => {
    expect(diffValues({ a: [1] }, { a: { 0: 1 } })).toEqual([
      { path: '/a', op: 'replace', desired: [1], live: { 0: 1 } },
    ]);
  });
});

describe('text view', () => {
  it('orders live named lists like desired, so texts differ only by changes', () => {
    const desired = { c: [{ name: 'b' }, { name: 'a', x: 1 }] };
    const live = { c: [{ name: 'z' }, { name: 'a', x: 1 }, { name: 'b' }] };
    expect(alignNamedLists(live, desired)).toEqual({
      c: [{ name: 'b' }, { name: 'a', x: 1 }, { name: 'z' }],
    });
    expect(
      toYaml(
        alignNamedLists({ c: [{ name: 'b' }, { name: 'a', x: 1 }] }, desired),
      ),
    ).toBe(toYaml(desired));
  });

  it('sorts keys and renders nothing for an absent object', () => {
    expect(toYaml({ b: 1, a: 2 })).toBe('a: 2\nb: 1\n');
    expect(toYaml(undefined)).toBe('');
  });
});
