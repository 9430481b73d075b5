import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileGlob, selectFiles } from './selectFiles';

describe('selectFiles', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gitops-select-'));
    const files = [
      'b.yaml',
      'a.yml',
      'c.json',
      'README.md',
      'values.YAML',
      'job.jsonnet',
      'config/cm.yaml',
      'config/deep/secret.yaml',
      'env-usw2/x.yaml',
    ];
    for (const file of files) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), '');
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads only the top folder by default, manifest extensions only, in order', async () => {
    expect(await selectFiles(dir)).toEqual([
      'a.yml',
      'b.yaml',
      'c.json',
      'job.jsonnet',
    ]);
  });

  it('reads sub-folders with recurse', async () => {
    expect(await selectFiles(dir, { recurse: true })).toEqual([
      'a.yml',
      'b.yaml',
      'c.json',
      'config/cm.yaml',
      'config/deep/secret.yaml',
      'env-usw2/x.yaml',
      'job.jsonnet',
    ]);
  });

  it('applies include globs to paths relative to the app path, braces included', async () => {
    expect(
      await selectFiles(dir, { recurse: true, include: '{c.json,env-usw2/*}' }),
    ).toEqual(['c.json', 'env-usw2/x.yaml']);
  });

  it('lets exclude win over include', async () => {
    expect(
      await selectFiles(dir, {
        recurse: true,
        include: '*.yaml',
        exclude: 'config/*',
      }),
    ).toEqual(['b.yaml', 'env-usw2/x.yaml']);
  });
});

describe('compileGlob', () => {
  it('matches like Argo CD: * crosses folders, dot files are ordinary', () => {
    const yaml = compileGlob('*.yaml');
    expect(yaml('a/b/c.yaml')).toBe(true);
    expect(yaml('.hidden.yaml')).toBe(true);
    expect(yaml('c.json')).toBe(false);
  });
});
