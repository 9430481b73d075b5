import { RenderCacheEntry } from './renderCache';
import { createRenderStore } from './renderStore';

const entry = (
  sourceHash: string,
  revision: string,
  size = 1,
  appName?: string,
): RenderCacheEntry => ({
  sourceHash,
  sources: [
    { revision, dependencies: [{ path: 'web', oid: `tree-${revision}` }] },
  ],
  manifests: Array.from({ length: size }, (_, i) => ({
    file: 'web/a.yaml',
    manifest: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}` },
    },
  })),
  ...(appName ? { appName } : {}),
});
// Dependencies never match: only the exact commit is found.
const changed = async (_i: number, paths: string[]) => paths.map(() => 'other');

describe('createRenderStore', () => {
  it('finds an output for every application with the same sources and commits', async () => {
    const store = createRenderStore();
    store.put(entry('h', 'r1'), 'one');
    expect(await store.find('h', 'two', ['r1'], changed)).toBeDefined();
    expect(await store.find('h', 'two', ['r2'], changed)).toBeUndefined();
    expect(await store.find('other', 'two', ['r1'], changed)).toBeUndefined();
  });

  it('keeps an output named after its application for that application only', async () => {
    const store = createRenderStore();
    store.put(entry('h', 'r1', 1, 'one'), 'one');
    expect(await store.find('h', 'one', ['r1'], changed)).toBeDefined();
    expect(await store.find('h', 'two', ['r1'], changed)).toBeUndefined();
  });

  it('keeps outputs named after their applications apart from the commits kept per source', async () => {
    const store = createRenderStore();
    const owners = Array.from({ length: 10 }, (_, i) => `app-${i}`);
    for (const owner of owners) store.put(entry('h', 'r1', 1, owner), owner);
    for (const owner of owners) {
      expect(await store.find('h', owner, ['r1'], changed)).toMatchObject({
        appName: owner,
      });
    }
    store.drop('h', 'app-0');
    expect(await store.find('h', 'app-0', ['r1'], changed)).toBeUndefined();
    expect(await store.find('h', 'app-1', ['r1'], changed)).toBeDefined();
  });

  it('drops the least recently used output beyond the entry bound', async () => {
    const store = createRenderStore({ maxEntries: 2 });
    store.put(entry('a', 'r1'), 'app');
    store.put(entry('b', 'r1'), 'app');
    await store.find('a', 'app', ['r1'], changed);
    store.put(entry('c', 'r1'), 'app');
    expect(store.stats().entries).toBe(2);
    expect(await store.find('a', 'app', ['r1'], changed)).toBeDefined();
    expect(await store.find('b', 'app', ['r1'], changed)).toBeUndefined();
  });

  it('stays under the byte bound and keeps nothing bigger than it', async () => {
    const one = JSON.stringify(entry('a', 'r1').manifests).length;
    const store = createRenderStore({ maxBytes: one * 2 });
    store.put(entry('a', 'r1'), 'app');
    store.put(entry('b', 'r1'), 'app');
    store.put(entry('c', 'r1'), 'app');
    expect(store.stats()).toEqual({ entries: 2, bytes: one * 2 });
    store.put(entry('big', 'r1', 10), 'app');
    expect(await store.find('big', 'app', ['r1'], changed)).toBeUndefined();
    expect(store.stats().entries).toBe(2);
  });

  it('keeps a few commits of one source side by side', async () => {
    const store = createRenderStore();
    for (const revision of ['r1', 'r2', 'r3', 'r4', 'r5']) {
      store.put(entry('h', revision), 'app');
    }
    expect(await store.find('h', 'app', ['r1'], changed)).toBeUndefined();
    expect(await store.find('h', 'app', ['r5'], changed)).toBeDefined();
    expect(store.stats().entries).toBe(4);
  });

  it('drops on a hard refresh, and on forget only what no other application uses', async () => {
    const store = createRenderStore();
    store.put(entry('shared', 'r1'), 'one');
    await store.find('shared', 'two', ['r1'], changed);
    store.put(entry('own', 'r1'), 'one');
    store.forget('one');
    expect(await store.find('own', 'one', ['r1'], changed)).toBeUndefined();
    expect(await store.find('shared', 'two', ['r1'], changed)).toBeDefined();
    store.drop('shared', 'two');
    expect(store.stats()).toEqual({ entries: 0, bytes: 0 });
  });
});
