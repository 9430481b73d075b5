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
});

describe('isReusable', () => {
  const entry: RenderCacheEntry = {
    sourceHash: 'h',
    revision: 'r1',
    dependencies: [
      { path: 'web', oid: 'tree-1' },
      { path: 'base/cm.yaml', oid: 'blob-1' },
    ],
    manifests: [],
  };
  const lookups: string[][] = [];
  const ids = (result: (string | undefined)[]) => async (paths: string[]) => {
    lookups.push(paths);
    return result;
  };
  beforeEach(() => lookups.splice(0));

  it('reuses the output of the same commit without looking anything up', async () => {
    expect(await isReusable(entry, 'h', 'r1', ids([]))).toBe(true);
    expect(lookups).toEqual([]);
  });

  it('reuses it at a new commit when every dependency is unchanged', async () => {
    expect(await isReusable(entry, 'h', 'r2', ids(['tree-1', 'blob-1']))).toBe(
      true,
    );
    expect(lookups).toEqual([['web', 'base/cm.yaml']]);
  });

  it('renders again when a dependency changed or vanished', async () => {
    expect(await isReusable(entry, 'h', 'r2', ids(['tree-2', 'blob-1']))).toBe(
      false,
    );
    expect(await isReusable(entry, 'h', 'r2', ids(['tree-1', undefined]))).toBe(
      false,
    );
  });

  it('renders again when the source changed', async () => {
    expect(await isReusable(entry, 'other', 'r1', ids([]))).toBe(false);
  });
});
