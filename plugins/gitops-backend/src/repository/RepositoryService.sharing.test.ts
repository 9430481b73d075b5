import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, TestGitServer } from './__testUtils__/gitServer';
import { createTestRepo, TestRepo } from './__testUtils__/testRepo';
import { testToolPaths } from './__testUtils__/tools';
import { isRepositoryError } from './errors';
import { createGitMirrors, GitMirrors } from './gitMirrors';
import {
  createRepositoryService,
  RenderResult,
  RenderSource,
  RepositoryService,
  RepositoryServiceOptions,
} from './RepositoryService';

const configMap = (name: string, data = 'v1') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: ${data}\n`;
const chartFiles = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\n',
};
const names = (result: RenderResult) =>
  result.manifests.map(m => (m.manifest.metadata as { name: string }).name);
const apps = (count: number) =>
  Array.from({ length: count }, (_, i) => `shared-${i}`);

describe('RepositoryService shared by many applications', () => {
  let server: TestGitServer;
  let cacheDir: string;
  let repo: TestRepo;
  let mirrors: GitMirrors;
  let readTree: jest.SpyInstance;

  const source = (overrides: Partial<RenderSource> = {}): RenderSource => ({
    repoURL: repo.url,
    path: 'apps/web',
    targetRevision: 'main',
    ...overrides,
  });
  const createService = (options: Partial<RepositoryServiceOptions> = {}) =>
    createRepositoryService({ mirrors, tools: testToolPaths(), ...options });
  const gitRequests = () => server.fetchCount('apps');
  // Renders that read the path's files (a shared or reused output reads none).
  const reads = (path = 'apps/web') =>
    readTree.mock.calls.filter(call => call[2] === path).length;

  beforeEach(async () => {
    server = await startGitServer();
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-sharing-'));
    repo = await createTestRepo(server, 'apps');
    mirrors = createGitMirrors({
      cacheDir,
      timeoutMs: 30_000,
      allowHttp: true,
    });
    readTree = jest.spyOn(mirrors, 'readTree');
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  describe('revisions', () => {
    it('asks Git once for every application of a repository within the cache time', async () => {
      const sha = await repo.commit({ 'apps/web/a.yaml': configMap('a') });
      const service = createService({ revisionCacheMs: 600_000 });
      const background = (appName: string, revision = 'main') =>
        service.render({
          appName,
          source: source({ targetRevision: revision }),
          allowCachedRevision: true,
        });

      // At once, as a pass of the loop starts several.
      const first = await Promise.all(apps(10).map(name => background(name)));
      // One after another, as the rest of the pass follows; HEAD and the
      // branch are answered by the same fetch.
      for (const name of apps(20).slice(10)) {
        expect((await background(name, 'HEAD')).revision).toBe(sha);
      }

      expect(first.every(result => result.revision === sha)).toBe(true);
      expect(gitRequests()).toBe(1);
    });

    it('sees a new commit once the cache time is over', async () => {
      await repo.commit({ 'apps/web/a.yaml': configMap('a') });
      const short = createService({ revisionCacheMs: 50 });
      const long = createService({ revisionCacheMs: 600_000 });
      const render = (service: RepositoryService) =>
        service.render({
          appName: 'web',
          source: source(),
          allowCachedRevision: true,
        });
      const before = (await render(long)).revision;
      await render(short);

      const next = await repo.commit({
        'apps/web/a.yaml': configMap('a', 'v2'),
      });
      await new Promise(resolve => setTimeout(resolve, 200));

      expect((await render(long)).revision).toBe(before);
      expect((await render(short)).revision).toBe(next);
    });

    it('sees a new commit at once on a hard refresh, after a push, and when not allowed to reuse', async () => {
      await repo.commit({ 'apps/web/a.yaml': configMap('a') });
      const service = createService({ revisionCacheMs: 600_000 });
      const render = (options: { hard?: boolean } = {}) =>
        service.render({
          appName: 'web',
          source: source(),
          allowCachedRevision: true,
          ...options,
        });
      await render();

      const second = await repo.commit({ 'apps/web/a.yaml': configMap('b') });
      const hard = await render({ hard: true });
      expect(hard.revision).toBe(second);
      expect(names(hard)).toEqual(['b']);

      const third = await repo.commit({ 'apps/web/a.yaml': configMap('c') });
      expect((await render()).revision).toBe(second);
      // A webhook's push, for any spelling of the URL.
      service.repositoryChanged(`${repo.url.replace(/\.git$/, '')}/`);
      expect((await render()).revision).toBe(third);

      // A user's refresh asks Git itself.
      const fourth = await repo.commit({ 'apps/web/a.yaml': configMap('d') });
      const asked = await service.render({ appName: 'web', source: source() });
      expect(asked.revision).toBe(fourth);
      expect(gitRequests()).toBe(4);
    });

    it('shares no fetch between different credentials in the URL', async () => {
      const token = 'Sh4redSecretT0ken';
      const privateServer = await startGitServer({ token });
      try {
        const privateRepo = await createTestRepo(privateServer, 'private');
        await privateRepo.commit({ 'apps/web/a.yaml': configMap('a') });
        const withToken = privateRepo.url.replace('://', `://git:${token}@`);
        const service = createService({ revisionCacheMs: 600_000 });
        const render = (appName: string, repoURL: string) =>
          service.render({
            appName,
            source: source({ repoURL }),
            allowCachedRevision: true,
          });

        // At once (one fetch running) and after (a fresh fetch cached).
        const [allowed, refused] = await Promise.allSettled([
          render('with-token', withToken),
          render('without-token', privateRepo.url),
        ]);
        const later = render('also-without', privateRepo.url);

        expect(allowed.status).toBe('fulfilled');
        expect(refused.status).toBe('rejected');
        const reason = (refused as PromiseRejectedResult).reason;
        expect(isRepositoryError(reason, 'Auth')).toBe(true);
        expect(String(reason)).not.toContain(token);
        await expect(later).rejects.toMatchObject({ code: 'Auth' });
        // The same credentials share as usual.
        await render('with-token-too', withToken);
        expect(reads()).toBe(1);
      } finally {
        await privateServer.close();
      }
    });
  });

  describe('renders', () => {
    it('renders a path once for every application on it', async () => {
      await repo.commit({
        'apps/web/a.yaml': `${configMap('a')}---\n${configMap('b')}`,
      });
      const service = createService();
      const render = (appName: string) =>
        service.render({ appName, source: source() });

      const results = await Promise.all(apps(100).map(render));
      const later = await render('shared-late');

      expect(reads()).toBe(1);
      expect(results.filter(result => !result.cached)).toHaveLength(1);
      for (const result of [...results, later]) {
        expect(names(result)).toEqual(['a', 'b']);
      }
      // Each has its own copy.
      (results[0].manifests[0].manifest.metadata as { name: string }).name =
        'edited';
      expect(names(results[1])).toEqual(['a', 'b']);

      // A source that differs in anything renders on its own.
      await service.render({
        appName: 'other',
        source: source({ directory: { include: 'a.yaml' } }),
      });
      await service.render({
        appName: 'elsewhere',
        source: source(),
        namespace: 'other',
      });
      expect(reads()).toBe(3);
    });

    it('renders a chart once per application when the release is named after it', async () => {
      await repo.commit(chartFiles);
      const service = createService();
      const render = (appName: string, helm?: RenderSource['helm']) =>
        service.render({
          appName,
          source: source({ path: 'charts/web', helm }),
        });

      const owners = ['one', 'two', 'three', 'four', 'five', 'six'];
      const own = await Promise.all(owners.map(app => render(app)));
      expect(own.map(names)).toEqual(owners.map(app => [`${app}-settings`]));
      expect(reads('charts/web')).toBe(6);
      // Each keeps its own output, however many there are.
      const again = await Promise.all(owners.map(app => render(app)));
      expect(again.every(result => result.cached)).toBe(true);
      expect(reads('charts/web')).toBe(6);

      const named = await Promise.all(
        ['seven', 'eight', 'nine'].map(app =>
          render(app, { releaseName: 'web' }),
        ),
      );
      expect(named.map(names)).toEqual([
        ['web-settings'],
        ['web-settings'],
        ['web-settings'],
      ]);
      expect(reads('charts/web')).toBe(7);
    });

    it('keeps errors and limits per application', async () => {
      await repo.commit({
        'apps/web/a.yaml': `${configMap('a')}---\n${configMap('b')}`,
        'apps/broken/a.yaml': 'kind: [',
      });
      const service = createService({ maxObjects: 1 });
      const outcomes = await Promise.allSettled(
        ['first', 'second'].map(appName =>
          service.render({ appName, source: source() }),
        ),
      );
      for (const [i, outcome] of outcomes.entries()) {
        expect(outcome).toMatchObject({
          status: 'rejected',
          reason: {
            code: 'TooLarge',
            appName: ['first', 'second'][i],
          },
        });
      }

      const broken = await Promise.allSettled(
        ['third', 'fourth'].map(appName =>
          service.render({ appName, source: source({ path: 'apps/broken' }) }),
        ),
      );
      expect(broken).toMatchObject(
        ['third', 'fourth'].map(appName => ({
          status: 'rejected',
          reason: {
            code: 'InvalidManifest',
            appName,
            file: 'apps/broken/a.yaml',
            message: expect.stringContaining(`application "${appName}"`),
          },
        })),
      );
    });

    it('renders again after a hard refresh, for every application on the path', async () => {
      await repo.commit({ 'apps/web/a.yaml': configMap('a') });
      const service = createService();
      await service.render({ appName: 'one', source: source() });
      await service.render({ appName: 'two', source: source() });
      expect(reads()).toBe(1);
      await service.render({ appName: 'one', source: source(), hard: true });
      await service.render({ appName: 'two', source: source() });
      expect(reads()).toBe(2);
    });
  });
});
