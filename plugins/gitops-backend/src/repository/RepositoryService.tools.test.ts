import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, TestGitServer } from './__testUtils__/gitServer';
import { createTestRepo, TestRepo } from './__testUtils__/testRepo';
import { testToolPaths } from './__testUtils__/tools';
import { createGitMirrors, GitMirrors } from './gitMirrors';
import {
  createRepositoryService,
  RenderRequest,
  RenderResult,
  RenderSource,
  RepositoryService,
} from './RepositoryService';

const chartFiles = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'greeting: hello\n',
  'charts/web/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  greeting: {{ .Values.greeting }}\n',
};
const kustomizeFiles = {
  'base/kustomization.yaml': 'resources: [cm.yaml]\n',
  'base/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
  'apps/web/kustomization.yaml': 'resources: [../../base]\n',
};

describe('RepositoryService with Helm, Kustomize and Jsonnet', () => {
  let server: TestGitServer;
  let cacheDir: string;
  let repo: TestRepo;
  let valuesRepo: TestRepo;
  let mirrors: GitMirrors;
  let service: RepositoryService;
  let readTree: jest.SpyInstance;

  const source = (overrides: Partial<RenderSource> = {}): RenderSource => ({
    repoURL: repo.url,
    path: 'apps/web',
    targetRevision: 'main',
    ...overrides,
  });
  const render = (request: Partial<RenderRequest> = {}) =>
    service.render({ appName: 'web', source: source(), ...request });
  const names = (result: RenderResult) =>
    result.manifests.map(m => (m.manifest.metadata as { name: string }).name);

  beforeEach(async () => {
    server = await startGitServer();
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-service-'));
    repo = await createTestRepo(server, 'apps');
    valuesRepo = await createTestRepo(server, 'values');
    mirrors = createGitMirrors({
      cacheDir,
      timeoutMs: 10_000,
      allowHttp: true,
    });
    readTree = jest.spyOn(mirrors, 'readTree');
    service = createRepositoryService({ mirrors, tools: testToolPaths() });
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('renders a chart into the destination namespace, named after the app', async () => {
    await repo.commit(chartFiles);

    const result = await render({
      source: source({ path: 'charts/web' }),
      namespace: 'shop',
    });

    expect(result.manifests).toEqual([
      {
        file: 'charts/web/templates/cm.yaml',
        manifest: expect.objectContaining({
          metadata: { name: 'web', namespace: 'shop' },
        }),
      },
    ]);
  });

  it('renders a kustomization, and again only when its base changes', async () => {
    await repo.commit({ ...kustomizeFiles, 'docs/readme.md': 'v1\n' });
    expect(names(await render())).toEqual(['settings']);

    await repo.commit({ 'docs/readme.md': 'v2\n' });
    expect((await render()).cached).toBe(true);

    await repo.commit({
      'base/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: renamed\n',
    });
    const changed = await render();
    expect(changed.cached).toBe(false);
    expect(names(changed)).toEqual(['renamed']);
  });

  it('applies Kustomize overrides from the source', async () => {
    await repo.commit(kustomizeFiles);
    const result = await render({
      source: source({ kustomize: { namePrefix: 'eu-', namespace: 'shop' } }),
    });
    expect(result.manifests[0].manifest.metadata).toEqual({
      name: 'eu-settings',
      namespace: 'shop',
    });
  });

  it('refuses a kustomize base outside the repository, naming app and file', async () => {
    await repo.commit({
      'apps/web/kustomization.yaml': 'resources: [../../../etc]\n',
    });
    await expect(render()).rejects.toMatchObject({
      code: 'PathEscape',
      appName: 'web',
      file: 'apps/web/kustomization.yaml',
      message: expect.stringMatching(
        /^application "web": apps\/web\/kustomization.yaml: /,
      ),
    });
  });

  it('renders Jsonnet next to YAML in a directory source, with its options', async () => {
    await repo.commit({
      'apps/web/a.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n',
      'apps/web/b.jsonnet':
        "local lib = import 'names.libsonnet'; { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: lib.name + '-' + std.extVar('env') } }",
      'lib/names.libsonnet': "{ name: 'from-jsonnet' }",
    });

    const result = await render({
      source: source({
        directory: {
          jsonnet: { libs: ['lib'], extVars: [{ name: 'env', value: 'prod' }] },
        },
      }),
    });

    expect(names(result)).toEqual(['from-yaml', 'from-jsonnet-prod']);
  });

  it('uses the tool the options name, as an explicit source type', async () => {
    await repo.commit({
      ...chartFiles,
      'charts/web/kustomization.yaml': 'resources: []\n',
    });
    await expect(
      render({
        source: source({ path: 'charts/web', helm: {}, kustomize: {} }),
      }),
    ).rejects.toMatchObject({ code: 'InvalidSource' });
    const asKustomize = await render({
      source: source({ path: 'charts/web', kustomize: {} }),
    });
    expect(asKustomize.manifests).toEqual([]);
  });

  it('names the missing tool and the application', async () => {
    await repo.commit(chartFiles);
    const unconfigured = createRepositoryService({
      mirrors,
      tools: { helm: join(cacheDir, 'no-such-helm') },
    });
    await expect(
      unconfigured.render({
        appName: 'web',
        source: source({ path: 'charts/web' }),
      }),
    ).rejects.toMatchObject({
      code: 'ToolMissing',
      appName: 'web',
      message: expect.stringMatching(
        /^application "web": helm is not installed/,
      ),
    });
  });

  it('refuses charts from a Helm repository', async () => {
    await expect(
      render({
        source: source({
          chart: 'redis',
          repoURL: 'https://charts.example.com',
        }),
      }),
    ).rejects.toMatchObject({ code: 'Unsupported', appName: 'web' });
  });

  describe('with several sources', () => {
    const sources = (valuesRevision = 'main'): RenderSource[] => [
      source({
        path: 'charts/web',
        helm: { valueFiles: ['$values/envs/prod.yaml'] },
      }),
      {
        repoURL: valuesRepo.url,
        targetRevision: valuesRevision,
        ref: 'values',
      },
    ];

    it('reads $values files from the ref source, which renders nothing itself', async () => {
      const chartSha = await repo.commit(chartFiles);
      const valuesSha = await valuesRepo.commit({
        'envs/prod.yaml': 'greeting: from-values-repo\n',
        'envs/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-rendered\n',
      });

      const result = await render({ source: undefined, sources: sources() });

      expect(result.revisions).toEqual([chartSha, valuesSha]);
      expect(result.revision).toBe(chartSha);
      expect(result.manifests.map(m => m.manifest.data)).toEqual([
        { greeting: 'from-values-repo' },
      ]);
    });

    it('caches by every commit, and renders again when the values change', async () => {
      await repo.commit(chartFiles);
      await valuesRepo.commit({
        'envs/prod.yaml': 'greeting: one\n',
        'docs/readme.md': 'v1\n',
      });
      await render({ sources: sources() });
      const reads = readTree.mock.calls.length;

      await valuesRepo.commit({ 'docs/readme.md': 'v2\n' });
      const unrelated = await render({ sources: sources() });
      expect(unrelated.cached).toBe(true);
      expect(readTree).toHaveBeenCalledTimes(reads);

      await valuesRepo.commit({ 'envs/prod.yaml': 'greeting: two\n' });
      const changed = await render({ sources: sources() });
      expect(changed.cached).toBe(false);
      expect(changed.manifests[0].manifest.data).toEqual({ greeting: 'two' });
    });

    it('renders a ref source that also has a path, and concatenates in order', async () => {
      await repo.commit(chartFiles);
      await valuesRepo.commit({
        'envs/prod.yaml': 'greeting: x\n',
        'extra/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
      });
      const [chart, values] = sources();

      const result = await render({
        sources: [chart, { ...values, path: 'extra' }],
      });

      expect(names(result)).toEqual(['web', 'extra']);
    });

    it('says which source failed', async () => {
      await repo.commit(chartFiles);
      await valuesRepo.commit({ 'envs/other.yaml': 'a: 1\n' });
      await expect(render({ sources: sources() })).rejects.toMatchObject({
        code: 'NotFound',
        message: expect.stringMatching(
          /^application "web": source 1 of 2: value file "\$values\/envs\/prod.yaml" does not exist/,
        ),
      });
    });

    it('refuses two sources with the same ref', async () => {
      const [, values] = sources();
      await expect(render({ sources: [values, values] })).rejects.toMatchObject(
        { code: 'InvalidSource' },
      );
    });
  });
});
