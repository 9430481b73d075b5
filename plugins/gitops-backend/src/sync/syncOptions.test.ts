import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import {
  RepositoryService,
  createGitMirrors,
  createRepositoryService,
} from '../repository';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { TestRepo, createTestRepo } from '../repository/__testUtils__/testRepo';
import { configMap, eventually, yaml } from '../__testUtils__/manifests';
import { kubectl } from '../__testUtils__/reconcileLoop';
import { compareApplication } from '../compare/compareApplication';
import { SyncApplicationOptions, syncApplication } from './syncApplication';

jest.setTimeout(180_000);

const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

const withOptions = (manifest: string, options: string) => {
  const obj = JSON.parse(manifest);
  obj.metadata.annotations = { [SYNC_OPTIONS]: options };
  return yaml(obj);
};

const deployment = (name: string, label: string) =>
  yaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: label } },
      template: {
        metadata: { labels: { app: label } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      },
    },
  });

describe('sync options on the test cluster', () => {
  let server: TestGitServer;
  let repo: TestRepo;
  let cacheDir: string;
  let repository: RepositoryService;
  let cluster: ClusterClient;
  let namespace: string;
  let app: ApplicationDefinition;

  const compare = () => compareApplication({ app, cluster, repository });
  const sync = async (options: SyncApplicationOptions = {}) =>
    syncApplication({
      app,
      comparison: await compare(),
      cluster,
      options,
      initiatedBy: 'user:default/tester',
      pollIntervalMs: 200,
    });
  const get = (apiVersion: string, kind: string, name: string) =>
    cluster.get({ apiVersion, kind, namespace, name });

  beforeAll(() => {
    cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  });

  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'options');
    server = await startGitServer();
    repo = await createTestRepo(server, 'shop');
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-options-'));
    repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
    app = {
      name: `shop-${Math.random().toString(36).slice(2, 8)}`,
      origin: 'config',
      entityRefs: [],
      source: { repoURL: repo.url, path: 'deploy', targetRevision: 'HEAD' },
      destination: { cluster: 'in-cluster', namespace },
    };
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    await cluster.delete(
      { apiVersion: 'v1', kind: 'Namespace', name: namespace },
      { propagationPolicy: 'Background' },
    );
  });

  it('runs a hook written with only generateName, as a new Job each sync', async () => {
    await repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/migrate.yaml': yaml({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          generateName: 'migrate-',
          annotations: { 'argocd.argoproj.io/hook': 'PreSync' },
        },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'main', image: 'busybox:1.36' }],
            },
          },
        },
      }),
    });
    const first = await sync();
    expect(first.phase).toBe('Succeeded');
    const hook = first.tasks.find(t => t.isHook)!;
    expect(hook.name).toMatch(/^migrate-[0-9a-f]{7}-presync-\d+$/);
    expect(hook.hookPhase).toBe('Succeeded');

    await new Promise(resolve => setTimeout(resolve, 1100));
    const second = await sync();
    expect(second.phase).toBe('Succeeded');
    const jobs = await cluster.list('batch/v1', 'Job', { namespace });
    expect(jobs.map(j => j.metadata.name).sort()).toEqual(
      [hook.name, second.tasks.find(t => t.isHook)!.name].sort(),
    );
  });

  it('Validate=false lets the server drop fields it does not know', async () => {
    const unknownField = JSON.parse(configMap('settings'));
    unknownField.colour = 'blue';
    await repo.commit({ 'deploy/settings.yaml': yaml(unknownField) });
    const refused = await sync();
    expect(refused.phase).toBe('Failed');
    expect(refused.message).toContain(`ConfigMap/${namespace}/settings`);

    await repo.commit({
      'deploy/settings.yaml': withOptions(yaml(unknownField), 'Validate=false'),
    });
    const state = await sync();
    expect(state.phase).toBe('Succeeded');
    expect((await get('v1', 'ConfigMap', 'settings'))?.data).toEqual({
      color: 'blue',
    });
  });

  it('Replace=true replaces the whole object, dropping fields others set', async () => {
    await repo.commit({ 'deploy/settings.yaml': configMap('settings') });
    expect((await sync()).phase).toBe('Succeeded');
    await kubectl('-n', namespace, 'label', 'configmap/settings', 'extra=yes');

    // A server-side apply leaves another manager's label in place...
    expect((await sync()).phase).toBe('Succeeded');
    expect((await get('v1', 'ConfigMap', 'settings'))?.metadata.labels).toEqual(
      { extra: 'yes' },
    );

    // ...a replace does not.
    await repo.commit({
      'deploy/settings.yaml': withOptions(
        configMap('settings'),
        'Replace=true',
      ),
    });
    expect((await sync()).phase).toBe('Succeeded');
    const replaced = await get('v1', 'ConfigMap', 'settings');
    expect(replaced?.metadata.labels).toBeUndefined();
    expect(replaced?.data).toEqual({ color: 'blue' });
  });

  it('Force=true deletes and recreates an object whose immutable field changed', async () => {
    await repo.commit({ 'deploy/web.yaml': deployment('web', 'web') });
    expect((await sync()).phase).toBe('Succeeded');
    const before = await get('apps/v1', 'Deployment', 'web');

    // The selector of a Deployment cannot change in place.
    await repo.commit({ 'deploy/web.yaml': deployment('web', 'web-v2') });
    const refused = await sync();
    expect(refused.phase).toBe('Failed');
    expect(refused.message).toContain('field is immutable');

    await repo.commit({
      'deploy/web.yaml': withOptions(deployment('web', 'web-v2'), 'Force=true'),
    });
    expect((await sync()).phase).toBe('Succeeded');
    const after = await get('apps/v1', 'Deployment', 'web');
    expect(after?.metadata.uid).not.toBe(before?.metadata.uid);
    expect((after?.spec as any).selector).toEqual({
      matchLabels: { app: 'web-v2' },
    });
  });

  it('FailOnSharedResource=true refuses an object another application tracks', async () => {
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'settings',
        namespace,
        annotations: {
          'argocd.argoproj.io/tracking-id': `billing:/ConfigMap:${namespace}/settings`,
        },
      },
      data: { color: 'green' },
    });
    await repo.commit({ 'deploy/settings.yaml': configMap('settings') });

    const refused = await sync({ syncOptions: ['FailOnSharedResource=true'] });
    expect(refused.phase).toBe('Failed');
    expect(refused.message).toBe(
      `ConfigMap/${namespace}/settings is already managed by application billing (FailOnSharedResource=true)`,
    );
    expect((await get('v1', 'ConfigMap', 'settings'))?.data).toEqual({
      color: 'green',
    });

    // Without the option it is taken over, as Argo CD does.
    expect((await sync()).phase).toBe('Succeeded');
    const taken = await get('v1', 'ConfigMap', 'settings');
    expect(taken?.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/tracking-id': `${app.name}:/ConfigMap:${namespace}/settings`,
    });
  });

  it('PrunePropagationPolicy=orphan prunes a Deployment and leaves its ReplicaSet', async () => {
    await repo.commit({
      'deploy/web.yaml': deployment('web', 'web'),
      'deploy/settings.yaml': configMap('settings'),
    });
    expect((await sync()).phase).toBe('Succeeded');
    const replicaSets = () =>
      cluster.list('apps/v1', 'ReplicaSet', { namespace });
    expect(
      (await eventually(replicaSets, sets => sets.length === 1)).length,
    ).toBe(1);

    await repo.commit({ 'deploy/web.yaml': null });
    const state = await sync({
      prune: true,
      syncOptions: ['PrunePropagationPolicy=orphan'],
    });
    expect(state.phase).toBe('Succeeded');
    // Orphaning takes the garbage collector a moment.
    expect(
      await eventually(
        () => get('apps/v1', 'Deployment', 'web'),
        web => web === undefined,
      ),
    ).toBeUndefined();
    const left = await replicaSets();
    expect(left).toHaveLength(1);
    expect(left[0].metadata.ownerReferences ?? []).toEqual([]);
  });

  it('ApplyOutOfSyncOnly=true applies only what differs', async () => {
    await repo.commit({
      'deploy/a.yaml': configMap('a'),
      'deploy/b.yaml': configMap('b'),
    });
    expect((await sync()).phase).toBe('Succeeded');
    await repo.commit({ 'deploy/b.yaml': configMap('b', 'red') });

    const state = await sync({ syncOptions: ['ApplyOutOfSyncOnly=true'] });
    expect(state.phase).toBe('Succeeded');
    expect(state.tasks.map(t => t.name)).toEqual(['b']);
    expect((await get('v1', 'ConfigMap', 'b'))?.data).toEqual({
      color: 'red',
    });
    expect((await compare()).sync).toBe('Synced');
  });
});
