import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderDirectory } from './renderDirectory';

describe('renderDirectory', () => {
  let dir: string;
  const write = async (files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gitops-render-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('returns each object with the repository path of its file', async () => {
    await write({
      'apps/web/a.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'apps/web/sub/b.json':
        '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}}',
      'apps/web/notes.txt': 'not a manifest',
    });

    const manifests = await renderDirectory({
      rootDir: dir,
      appPath: 'apps/web',
      directory: { recurse: true },
    });

    expect(manifests.map(m => [m.file, m.manifest.kind])).toEqual([
      ['apps/web/a.yaml', 'ConfigMap'],
      ['apps/web/sub/b.json', 'Secret'],
    ]);
  });

  it('reads the repository root when the path is empty', async () => {
    await write({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\n' });
    const manifests = await renderDirectory({ rootDir: dir, appPath: '' });
    expect(manifests.map(m => m.file)).toEqual(['a.yaml']);
  });

  it('refuses Jsonnet files it would have to evaluate, naming them', async () => {
    await write({ 'app/sub/x.jsonnet': '{}' });
    await expect(
      renderDirectory({
        rootDir: dir,
        appPath: 'app',
        directory: { recurse: true },
      }),
    ).rejects.toMatchObject({ code: 'Unsupported', file: 'app/sub/x.jsonnet' });
  });

  it('evaluates Jsonnet files with the given evaluator, in walk order', async () => {
    await write({
      'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'app/b.jsonnet': 'ignored: the evaluator is a stub',
      'app/c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
    });
    const evaluated: string[] = [];

    const manifests = await renderDirectory({
      rootDir: dir,
      appPath: 'app',
      jsonnet: async file => {
        evaluated.push(file);
        return [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } }];
      },
    });

    expect(evaluated).toEqual(['app/b.jsonnet']);
    expect(manifests.map(m => [m.file, m.manifest.kind])).toEqual([
      ['app/a.yaml', 'ConfigMap'],
      ['app/b.jsonnet', 'Secret'],
      ['app/c.yaml', 'ConfigMap'],
    ]);
  });
});
