import { isReusable, RenderCacheEntry, sourceHash } from './renderCache';

const source = { repoURL: 'https://git.example.com/org/apps.git', path: 'web' };

describe('sourceHash', () => {
  it('ignores spellings of the URL and the target revision', () => {
    expect(
      sourceHash({ ...source, repoURL: 'https://GIT.example.com/org/apps' }),
    ).toBe(sourceHash(source));
    expect(
      sourceHash({ ...source, targetRevision: 'v2' } as typeof source),
    ).toBe(sourceHash(source));
  });

  it('changes with the path and the directory options', () => {
    const base = sourceHash(source);
    expect(sourceHash({ ...source, path: 'api' })).not.toBe(base);
    expect(sourceHash({ ...source, directory: { recurse: true } })).not.toBe(
      base,
    );
    expect(
      sourceHash({ ...source, directory: { include: '*.yaml' } }),
    ).not.toBe(base);
    expect(
      sourceHash({ ...source, directory: { exclude: '*.yaml' } }),
    ).not.toBe(base);
    expect(sourceHash({ ...source, directory: { recurse: false } })).toBe(base);
  });

  it('changes with the tool options, whatever their key order', () => {
    const base = sourceHash(source);
    const helm = sourceHash({
      ...source,
      helm: { releaseName: 'a', skipCrds: true },
    });
    expect(helm).not.toBe(base);
    expect(
      sourceHash({ ...source, helm: { skipCrds: true, releaseName: 'a' } }),
    ).toBe(helm);
    expect(sourceHash({ ...source, kustomize: { namePrefix: 'p-' } })).not.toBe(
      base,
    );
    expect(
      sourceHash({ ...source, directory: { jsonnet: { libs: ['lib'] } } }),
    ).not.toBe(base);
    expect(sourceHash({ ...source, ref: 'values' })).not.toBe(base);
  });
});

describe('isReusable', () => {
  const entry: RenderCacheEntry = {
    sourceHash: 'h',
    sources: [
      {
        revision: 'r1',
        dependencies: [
          { path: 'web', oid: 'tree-1' },
          { path: 'base/cm.yaml', oid: 'blob-1' },
          // Looked for and absent: its appearance changes the output too.
          { path: 'web/values-extra.yaml', oid: '' },
        ],
      },
    ],
    manifests: [],
  };
  const lookups: string[][] = [];
  const ids =
    (result: (string | undefined)[]) =>
    async (_source: number, paths: string[]) => {
      lookups.push(paths);
      return result;
    };
  beforeEach(() => lookups.splice(0));

  it('reuses the output of the same commit without looking anything up', async () => {
    expect(await isReusable(entry, 'h', ['r1'], ids([]))).toBe(true);
    expect(lookups).toEqual([]);
  });

  it('reuses it at a new commit when every dependency is unchanged', async () => {
    expect(
      await isReusable(
        entry,
        'h',
        ['r2'],
        ids(['tree-1', 'blob-1', undefined]),
      ),
    ).toBe(true);
    expect(lookups).toEqual([['web', 'base/cm.yaml', 'web/values-extra.yaml']]);
  });

  it('renders again when a dependency changed or vanished', async () => {
    expect(
      await isReusable(
        entry,
        'h',
        ['r2'],
        ids(['tree-2', 'blob-1', undefined]),
      ),
    ).toBe(false);
    expect(
      await isReusable(
        entry,
        'h',
        ['r2'],
        ids(['tree-1', undefined, undefined]),
      ),
    ).toBe(false);
  });

  it('renders again when a path found absent appears', async () => {
    expect(
      await isReusable(entry, 'h', ['r2'], ids(['tree-1', 'blob-1', 'blob-9'])),
    ).toBe(false);
  });

  it('looks up each source at its own new commit', async () => {
    const two: RenderCacheEntry = {
      ...entry,
      sources: [
        { revision: 'a1', dependencies: [{ path: 'chart', oid: 't1' }] },
        { revision: 'b1', dependencies: [{ path: 'values', oid: 't2' }] },
      ],
    };
    const asked: number[] = [];
    const byIndex = async (index: number) => {
      asked.push(index);
      return [index === 0 ? 't1' : 't2-changed'];
    };

    expect(await isReusable(two, 'h', ['a1', 'b1'], byIndex)).toBe(true);
    expect(asked).toEqual([]);
    expect(await isReusable(two, 'h', ['a2', 'b1'], byIndex)).toBe(true);
    expect(await isReusable(two, 'h', ['a1', 'b2'], byIndex)).toBe(false);
    expect(asked).toEqual([0, 1]);
    expect(await isReusable(two, 'h', ['a1'], byIndex)).toBe(false);
  });

  it('renders again when the source changed', async () => {
    expect(await isReusable(entry, 'other', ['r1'], ids([]))).toBe(false);
  });
});
