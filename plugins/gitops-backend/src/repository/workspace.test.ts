import { readFile, readdir } from 'node:fs/promises';
import { startCheckout, TestCheckout } from './__testUtils__/checkout';
import { resolveRepoPath } from './workspace';

describe('resolveRepoPath', () => {
  const context = { file: 'apps/web/kustomization.yaml', what: 'resource' };

  it('resolves inside the repository', () => {
    expect(resolveRepoPath('apps/web', '../base', context)).toBe('apps/base');
    expect(resolveRepoPath('apps/web', './', context)).toBe('apps/web');
    expect(resolveRepoPath('apps/web', '../..', context)).toBe('');
    expect(resolveRepoPath('', 'lib/', context)).toBe('lib');
  });

  it('refuses a path that climbs out of the repository, naming the file', () => {
    expect(() => resolveRepoPath('apps/web', '../../../etc', context)).toThrow(
      expect.objectContaining({
        code: 'PathEscape',
        file: 'apps/web/kustomization.yaml',
        message:
          'apps/web/kustomization.yaml: resource "../../../etc" is outside the repository',
      }),
    );
    expect(() => resolveRepoPath('apps', 'a/../../../x', context)).toThrow(
      expect.objectContaining({ code: 'PathEscape' }),
    );
  });

  it('refuses absolute paths', () => {
    expect(() => resolveRepoPath('apps/web', '/etc/passwd', context)).toThrow(
      expect.objectContaining({
        code: 'PathEscape',
        message: expect.stringContaining('is an absolute path'),
      }),
    );
  });
});

describe('createWorkspace', () => {
  let checkout: TestCheckout;
  beforeEach(async () => {
    checkout = await startCheckout();
  });
  afterEach(() => checkout.close());

  it('reads folders one by one into one tree at their repository paths', async () => {
    const workspace = await checkout.workspaceAt({
      'apps/web/kustomization.yaml': 'resources: [../../base]\n',
      'base/cm.yaml': 'kind: ConfigMap\n',
      'other/x.yaml': 'kind: Secret\n',
    });

    await workspace.addTree('apps/web');
    await workspace.addTree('base');
    await workspace.addTree('base');

    expect(await readdir(workspace.dir)).toEqual(['apps', 'base']);
    expect(await readFile(workspace.abs('base/cm.yaml'), 'utf8')).toBe(
      'kind: ConfigMap\n',
    );
    expect(workspace.dependencies().map(d => d.path)).toEqual([
      'apps/web',
      'base',
    ]);
  });

  it('reads a parent of a folder already read without losing anything', async () => {
    const workspace = await checkout.workspaceAt(
      { 'apps/web/a.yaml': 'a\n', 'apps/api/b.yaml': 'b\n' },
      { read: 'apps/web' },
    );

    await workspace.addTree('apps');

    expect(await readFile(workspace.abs('apps/web/a.yaml'), 'utf8')).toBe(
      'a\n',
    );
    expect(await readFile(workspace.abs('apps/api/b.yaml'), 'utf8')).toBe(
      'b\n',
    );
  });

  it('tells files, folders and absent paths apart, read or not', async () => {
    const workspace = await checkout.workspaceAt(
      { 'apps/web/a.yaml': 'a\n', 'lib/k.libsonnet': '{}\n' },
      { read: 'apps/web' },
    );

    expect(await workspace.kind('apps/web/a.yaml')).toBe('file');
    expect(await workspace.kind('apps/web')).toBe('dir');
    expect(await workspace.kind('apps/web/nope.yaml')).toBeUndefined();
    expect(await workspace.kind('lib')).toBe('dir');
    expect(await workspace.kind('lib/k.libsonnet')).toBe('file');
    expect(await workspace.kind('lib/gone.libsonnet')).toBeUndefined();
    expect(await workspace.kind('')).toBe('dir');
  });

  it('records paths found absent outside what was read, for the cache', async () => {
    const workspace = await checkout.workspaceAt(
      { 'apps/web/a.yaml': 'a\n' },
      { read: 'apps/web' },
    );

    await workspace.kind('lib/k.libsonnet');

    expect(workspace.dependencies()).toContainEqual({
      path: 'lib/k.libsonnet',
      oid: '',
    });
  });

  it('holds the size limit over everything read, naming the folder that broke it', async () => {
    const workspace = await checkout.workspaceAt(
      {
        'apps/web/a.yaml': 'a'.repeat(600),
        'base/b.yaml': 'b'.repeat(600),
      },
      { limits: { maxBytes: 1000 }, read: 'apps/web' },
    );

    await expect(workspace.addTree('base')).rejects.toMatchObject({
      code: 'TooLarge',
      message: expect.stringMatching(
        /more than 1000 bytes .* in total \(while reading "base"\)/,
      ),
    });
  });

  it('refuses to address anything outside itself', async () => {
    const workspace = await checkout.workspaceAt({ 'a.yaml': 'a\n' });
    expect(() => workspace.abs('../etc/passwd')).toThrow(
      expect.objectContaining({ code: 'PathEscape' }),
    );
    expect(() => workspace.abs('/etc/passwd')).toThrow(
      expect.objectContaining({ code: 'PathEscape' }),
    );
  });
});
