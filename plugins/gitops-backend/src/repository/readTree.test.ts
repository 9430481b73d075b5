import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GitObjectReader, readTree, TreeSnapshot } from './readTree';
import { SYMLINK_MODE, TreeEntry } from './treeFormat';

type Spec = string | { symlink: string } | { submodule: true };

/**
 * An object store held in memory: ids are derived from paths and content, so
 * a change to a file changes its id and its folders' ids, as in git.
 */
function fakeRepo(files: Record<string, Spec>) {
  const calls = { readBlobs: 0 };
  const blobs = new Map<string, Buffer>();
  const contentOf = (spec: Spec) => {
    if (typeof spec === 'string') return spec;
    return 'symlink' in spec ? spec.symlink : '';
  };
  const isUnder = (path: string, dir: string) =>
    dir === '' || path.startsWith(`${dir}/`);
  const treeId = (dir: string) =>
    `tree:${dir}:${Object.entries(files)
      .filter(([path]) => isUnder(path, dir))
      .map(([path, spec]) => `${path}=${contentOf(spec)}`)
      .join(',')}`;
  const entryFor = (path: string, spec: Spec, relative: string): TreeEntry => {
    if (typeof spec === 'object' && 'submodule' in spec) {
      return {
        mode: '160000',
        type: 'commit',
        oid: `commit:${path}`,
        path: relative,
      };
    }
    const oid = `blob:${path}:${contentOf(spec)}`;
    blobs.set(oid, Buffer.from(contentOf(spec)));
    return {
      mode: typeof spec === 'string' ? '100644' : SYMLINK_MODE,
      type: 'blob',
      oid,
      size: Buffer.byteLength(contentOf(spec)),
      path: relative,
    };
  };

  const reader: GitObjectReader = {
    async listTree(treeOid) {
      const dir = treeOid.split(':')[1];
      return Object.entries(files)
        .filter(([path]) => isUnder(path, dir))
        .map(([path, spec]) =>
          entryFor(path, spec, dir ? path.slice(dir.length + 1) : path),
        );
    },
    async entryAt(_commit, path) {
      const spec = files[path];
      if (spec !== undefined) return entryFor(path, spec, path);
      const isDir = Object.keys(files).some(file => isUnder(file, path));
      return isDir
        ? { mode: '040000', type: 'tree', oid: treeId(path), path }
        : undefined;
    },
    async readBlobs(oids) {
      calls.readBlobs += 1;
      return new Map(oids.map(oid => [oid, blobs.get(oid) ?? Buffer.alloc(0)]));
    },
  };
  return { reader, calls };
}

const COMMIT = 'c'.repeat(40);
const snapshots: TreeSnapshot[] = [];
async function read(files: Record<string, Spec>, path: string, limits = {}) {
  const snapshot = await readTree(fakeRepo(files).reader, {
    commitSha: COMMIT,
    path,
    limits,
  });
  snapshots.push(snapshot);
  return snapshot;
}
afterEach(async () => {
  await Promise.all(snapshots.splice(0).map(s => s.dispose()));
});

describe('readTree', () => {
  it('writes only the files under the path, at their repository paths', async () => {
    const snapshot = await read(
      {
        'apps/web/a.yaml': 'a',
        'apps/web/sub/b.yaml': 'b',
        'apps/api/c.yaml': 'c',
      },
      'apps/web',
    );

    expect(snapshot.files).toEqual(['apps/web/a.yaml', 'apps/web/sub/b.yaml']);
    expect(
      await readFile(join(snapshot.dir, 'apps/web/sub/b.yaml'), 'utf8'),
    ).toBe('b');
    expect(await readdir(join(snapshot.dir, 'apps'))).toEqual(['web']);
    expect((await stat(snapshot.dir)).mode & 0o777).toBe(0o700);
  });

  it('names the path when it is not a folder at the commit', async () => {
    await expect(read({ 'a.yaml': 'a' }, 'missing')).rejects.toMatchObject({
      code: 'NotFound',
      message: expect.stringContaining('"missing"'),
    });
  });

  it('copies a symlink target inside the path', async () => {
    const snapshot = await read(
      { 'app/real.yaml': 'real', 'app/link.yaml': { symlink: 'real.yaml' } },
      'app',
    );
    expect(await readFile(join(snapshot.dir, 'app/link.yaml'), 'utf8')).toBe(
      'real',
    );
    expect(snapshot.dependencies.map(d => d.path)).toEqual(['app']);
  });

  it('copies targets elsewhere in the repository and lists them as dependencies', async () => {
    const snapshot = await read(
      {
        'base/cm.yaml': 'cm',
        'base/deep/x.yaml': 'x',
        'app/cm.yaml': { symlink: '../base/cm.yaml' },
        'app/base': { symlink: '../base' },
      },
      'app',
    );

    expect(snapshot.files).toEqual([
      'app/base/cm.yaml',
      'app/base/deep/x.yaml',
      'app/cm.yaml',
    ]);
    expect(
      await readFile(join(snapshot.dir, 'app/base/deep/x.yaml'), 'utf8'),
    ).toBe('x');
    expect(snapshot.dependencies.map(d => d.path).sort()).toEqual([
      'app',
      'base',
      'base/cm.yaml',
    ]);
  });

  it.each([
    ['an absolute path', '/etc/passwd'],
    ['a path above the repository', '../../etc/passwd'],
  ])('refuses a symlink to %s, naming it', async (_, target) => {
    await expect(
      read({ 'app/x.yaml': { symlink: target } }, 'app'),
    ).rejects.toMatchObject({
      code: 'PathEscape',
      file: 'app/x.yaml',
      message: expect.stringContaining('"app/x.yaml"'),
    });
  });

  it('refuses a chain of links that ends outside the repository', async () => {
    await expect(
      read(
        {
          'app/a.yaml': { symlink: '../hop.yaml' },
          'hop.yaml': { symlink: '../out' },
        },
        'app',
      ),
    ).rejects.toMatchObject({ code: 'PathEscape', file: 'hop.yaml' });
  });

  it('refuses a dangling symlink rather than dropping its objects', async () => {
    await expect(
      read({ 'app/a.yaml': { symlink: 'gone.yaml' } }, 'app'),
    ).rejects.toMatchObject({
      code: 'NotFound',
      file: 'app/a.yaml',
    });
  });

  it('stops at symlink loops', async () => {
    await expect(
      read(
        {
          'app/a.yaml': 'a',
          'app/self': { symlink: '.' },
          'app/again': { symlink: '.' },
        },
        'app',
      ),
    ).rejects.toMatchObject({ code: 'InvalidPath' });
  });

  it('skips submodules, which are not fetched', async () => {
    const snapshot = await read(
      { 'app/a.yaml': 'a', 'app/vendor': { submodule: true } },
      'app',
    );
    expect(snapshot.files).toEqual(['app/a.yaml']);
  });

  it('refuses a path over the size limit before reading any content', async () => {
    const { reader, calls } = fakeRepo({
      'app/a.yaml': 'x'.repeat(600),
      'app/b.yaml': 'y'.repeat(600),
    });
    await expect(
      readTree(reader, {
        commitSha: COMMIT,
        path: 'app',
        limits: { maxBytes: 1000 },
      }),
    ).rejects.toMatchObject({
      code: 'TooLarge',
      file: 'app',
      message: expect.stringContaining('"app"'),
    });
    expect(calls.readBlobs).toBe(0);
  });

  it('refuses a path over the file count limit', async () => {
    await expect(
      read({ 'app/a': '', 'app/b': '', 'app/c': '' }, 'app', { maxFiles: 2 }),
    ).rejects.toMatchObject({ code: 'TooLarge' });
  });
});
