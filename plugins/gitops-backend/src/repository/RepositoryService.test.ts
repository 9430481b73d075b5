import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, TestGitServer } from './__testUtils__/gitServer';
import { createTestRepo, TestRepo } from './__testUtils__/testRepo';
import { testToolPaths } from './__testUtils__/tools';
import { createGitMirrors, GitMirrors } from './gitMirrors';
import {
  createRepositoryService,
  RenderResult,
  RenderSource,
  RepositoryService,
} from './RepositoryService';

const configMap = (name: string, data = 'v1') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: ${data}\n`;

describe('RepositoryService', () => {
  let server: TestGitServer;
  let cacheDir: string;
  let repo: TestRepo;
  let mirrors: GitMirrors;
  let service: RepositoryService;
  let readTree: jest.SpyInstance;

  const source = (overrides: Partial<RenderSource> = {}): RenderSource => ({
    repoURL: repo.url,
    path: 'apps/web',
    targetRevision: 'main',
    ...overrides,
  });
  const render = (overrides: Partial<RenderSource> = {}, hard = false) =>
    service.render({ appName: 'web', source: source(overrides), hard });
  const names = (result: RenderResult) =>
    result.manifests.map(m => (m.manifest.metadata as { name: string }).name);

  beforeEach(async () => {
    server = await startGitServer();
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-service-'));
    repo = await createTestRepo(server, 'apps');
    mirrors = createGitMirrors({
      cacheDir,
      timeoutMs: 10_000,
      allowHttp: true,
    });
    readTree = jest.spyOn(mirrors, 'readTree');
    service = createRepositoryService({
      mirrors,
      readLimits: { maxBytes: 4096 },
      tools: testToolPaths(),
    });
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('renders a directory at the resolved commit', async () => {
    const sha = await repo.commit({
      'apps/web/a.yaml': `${configMap('a')}---\n${configMap('b')}`,
      'apps/web/sub/c.yaml': configMap('c'),
      'apps/api/d.yaml': configMap('d'),
    });

    const result = await render();

    expect(result).toMatchObject({ revision: sha, cached: false });
    expect(names(result)).toEqual(['a', 'b']);
    expect(result.manifests[0].file).toBe('apps/web/a.yaml');
    expect(names(await render({ directory: { recurse: true } }))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('reuses the output when a new commit changes nothing under the path', async () => {
    await repo.commit({
      'apps/web/a.yaml': configMap('a'),
      'apps/api/d.yaml': configMap('d'),
    });
    expect((await render()).cached).toBe(false);

    const elsewhere = await repo.commit({
      'apps/api/d.yaml': configMap('d', 'v2'),
    });
    const second = await render();

    expect(second).toMatchObject({ revision: elsewhere, cached: true });
    expect(names(second)).toEqual(['a']);
    expect(readTree).toHaveBeenCalledTimes(1);

    const inside = await repo.commit({
      'apps/web/a.yaml': configMap('a', 'v2'),
    });
    const third = await render();

    expect(third).toMatchObject({ revision: inside, cached: false });
    expect(third.manifests[0].manifest.data).toEqual({ value: 'v2' });
    expect(readTree).toHaveBeenCalledTimes(2);
  });

  it('renders again when a symlink target outside the path changes', async () => {
    await repo.commit({
      'base/cm.yaml': configMap('shared'),
      'apps/web/cm.yaml': { symlink: '../../base/cm.yaml' },
    });
    expect((await render()).manifests[0].manifest.data).toEqual({
      value: 'v1',
    });

    await repo.commit({ 'base/cm.yaml': configMap('shared', 'v2') });
    const result = await render();

    expect(result.cached).toBe(false);
    expect(result.manifests[0].manifest.data).toEqual({ value: 'v2' });
  });

  it('renders again after a hard refresh or a change of the source', async () => {
    await repo.commit({
      'apps/web/a.yaml': configMap('a'),
      'apps/web/b.yaml': configMap('b'),
    });
    await render();

    expect((await render()).cached).toBe(true);
    expect((await render({}, true)).cached).toBe(false);
    const excluded = await render({ directory: { exclude: 'b.yaml' } });
    expect(excluded.cached).toBe(false);
    expect(names(excluded)).toEqual(['a']);
  });

  it('hands out copies, so callers cannot edit the cache', async () => {
    await repo.commit({ 'apps/web/a.yaml': configMap('a') });
    (await render()).manifests[0].manifest.kind = 'Edited';
    expect((await render()).manifests[0].manifest.kind).toBe('ConfigMap');
  });

  it('does not fetch for a pinned commit the mirror already has', async () => {
    const sha = await repo.commit({ 'apps/web/a.yaml': configMap('a') });
    await render();
    const fetches = server.fetchCount('apps');

    expect((await render({ targetRevision: sha })).revision).toBe(sha);
    expect(server.fetchCount('apps')).toBe(fetches);
  });

  it('refuses a symlink to a file outside the repository, naming app and file', async () => {
    await repo.commit({ 'apps/web/passwd.yaml': { symlink: '/etc/passwd' } });
    await expect(render()).rejects.toMatchObject({
      code: 'PathEscape',
      appName: 'web',
      file: 'apps/web/passwd.yaml',
      message: expect.stringMatching(
        /^application "web": symlink "apps\/web\/passwd.yaml"/,
      ),
    });
  });

  it('refuses a path that leaves the repository before running git', async () => {
    await expect(render({ path: 'apps/../../etc' })).rejects.toMatchObject({
      code: 'PathEscape',
      appName: 'web',
    });
    expect(server.requests).toEqual([]);
  });

  it('refuses a path over the size limit, naming it', async () => {
    await repo.commit({
      'apps/web/big.yaml': `# ${'x'.repeat(5000)}\n${configMap('a')}`,
    });
    await expect(render()).rejects.toMatchObject({
      code: 'TooLarge',
      message: expect.stringContaining('"apps/web"'),
    });
  });

  it('names the file of a broken manifest', async () => {
    await repo.commit({
      'apps/web/bad.yaml': 'apiVersion: v1\nmetadata: {}\n',
    });
    await expect(render()).rejects.toMatchObject({
      code: 'InvalidManifest',
      file: 'apps/web/bad.yaml',
      appName: 'web',
    });
  });

  it('renders the repository root', async () => {
    await repo.commit({
      'cm.yaml': configMap('root'),
      'apps/web/a.yaml': configMap('a'),
    });
    expect(names(await render({ path: '' }))).toEqual(['root']);
  });

  it('names an unknown revision and a missing path', async () => {
    await repo.commit({ 'apps/web/a.yaml': configMap('a') });
    await expect(render({ targetRevision: 'nope' })).rejects.toMatchObject({
      code: 'NotFound',
      message: expect.stringContaining('"nope"'),
    });
    await expect(render({ path: 'apps/gone' })).rejects.toMatchObject({
      code: 'NotFound',
      message: expect.stringContaining('"apps/gone"'),
    });
  });
});
