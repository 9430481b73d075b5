import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { mkdtemp, rm } from 'fs/promises';
import { Knex } from 'knex';
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
import {
  configMap,
  deployment,
  eventually,
  yaml,
} from '../__testUtils__/manifests';
import { createReconcileLoop, kubectl } from '../__testUtils__/reconcileLoop';
import { compareApplication } from '../compare/compareApplication';
import { syncApplication } from './syncApplication';
import { syncSettingsOf } from './syncSettings';

jest.setTimeout(180_000);

describe('sync policy of a definition, on the test cluster', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let server: TestGitServer;
  let repo: TestRepo;
  let cacheDir: string;
  let repository: RepositoryService;
  let cluster: ClusterClient;
  let namespace: string;
  let app: ApplicationDefinition;
  let knex: Knex;
  const extraNamespaces: string[] = [];

  const compare = () => compareApplication({ app, cluster, repository });
  const sync = async (options = syncSettingsOf(app)) =>
    syncApplication({
      app,
      comparison: await compare(),
      cluster,
      options,
      initiatedBy: 'user:default/tester',
      pollIntervalMs: 200,
    });
  const live = (apiVersion: string, kind: string, name: string) =>
    cluster.get({ apiVersion, kind, namespace, name });
  const replicasOf = async (name: string) =>
    (await live('apps/v1', 'Deployment', name))?.spec as
      | { replicas?: number }
      | undefined;

  beforeAll(() => {
    cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  });

  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'policy');
    server = await startGitServer();
    repo = await createTestRepo(server, 'shop');
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-policy-'));
    repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
    knex = await databases.init('SQLITE_3');
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
    for (const name of [namespace, ...extraNamespaces.splice(0)]) {
      await cluster.delete(
        { apiVersion: 'v1', kind: 'Namespace', name },
        { propagationPolicy: 'Background' },
      );
    }
  });

  it('CreateNamespace=true creates the destination namespace, with its managed metadata, before anything in it', async () => {
    const fresh = `created-${Math.random().toString(36).slice(2, 8)}`;
    extraNamespaces.push(fresh);
    app = { ...app, destination: { cluster: 'in-cluster', namespace: fresh } };
    await repo.commit({ 'deploy/settings.yaml': configMap('settings') });

    // Without the option the namespace is missing, and the sync says so.
    const without = await sync();
    expect(without.phase).toBe('Failed');
    expect(without.message).toContain(fresh);

    app = {
      ...app,
      syncPolicy: {
        syncOptions: ['CreateNamespace=true'],
        managedNamespaceMetadata: { labels: { team: 'payments' } },
      },
    };
    const state = await sync();

    expect(state.phase).toBe('Succeeded');
    expect(
      state.tasks.map(t => [t.syncPhase, t.kind, t.name, t.status]),
    ).toEqual([
      ['PreSync', 'Namespace', fresh, 'Synced'],
      ['Sync', 'ConfigMap', 'settings', 'Synced'],
    ]);
    const ns = await cluster.get({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: fresh,
    });
    expect(ns?.metadata.labels).toMatchObject({ team: 'payments' });
    expect(
      await cluster.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: fresh,
        name: 'settings',
      }),
    ).toBeDefined();
    expect((await compare()).sync).toBe('Synced');
  });

  it('CreateNamespace=true creates the namespace before PreSync hooks in negative waves', async () => {
    const fresh = `hooked-${Math.random().toString(36).slice(2, 8)}`;
    extraNamespaces.push(fresh);
    const migration = (name: string, annotations: Record<string, string>) =>
      yaml({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name, annotations },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'migrate', image: 'busybox:1.36' }],
            },
          },
        },
      });
    app = {
      ...app,
      destination: { cluster: 'in-cluster', namespace: fresh },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    };
    // An Argo CD PreSync hook in wave -2, and a Helm pre-install hook of
    // weight -1 (PreSync wave -1), as charts with database migrations have.
    await repo.commit({
      'deploy/create-db.yaml': migration('create-db', {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/sync-wave': '-2',
      }),
      'deploy/migrate.yaml': migration('migrate', {
        'helm.sh/hook': 'pre-install',
        'helm.sh/hook-weight': '-1',
      }),
      'deploy/settings.yaml': configMap('settings'),
    });

    const state = await sync();

    expect(state.message).not.toContain('not found');
    expect(state.phase).toBe('Succeeded');
    expect(
      state.tasks.map(t => [t.syncPhase, t.wave, t.kind, t.status]),
    ).toEqual([
      ['PreSync', -2, 'Namespace', 'Synced'],
      ['PreSync', -2, 'Job', 'Synced'],
      ['PreSync', -1, 'Job', 'Synced'],
      ['Sync', 0, 'ConfigMap', 'Synced'],
    ]);
    expect(
      await cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: fresh }),
    ).toBeDefined();
  });

  it('ignoreDifferences holds: a live change in an ignored path is not drift, and RespectIgnoreDifferences keeps it through a sync', async () => {
    app = {
      ...app,
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      ],
    };
    await repo.commit({
      'deploy/web.yaml': deployment('web', 1),
      'deploy/settings.yaml': configMap('settings'),
    });
    expect((await sync()).phase).toBe('Succeeded');

    await kubectl('-n', namespace, 'scale', 'deployment/web', '--replicas=3');
    const after = await compare();
    expect(after.sync).toBe('Synced');
    const web = after.resources.find(r => r.name === 'web')!;
    expect(web.comparison.ignored).toEqual([
      {
        path: '/spec/replicas',
        reason: 'ignoreDifferences: jsonPointer /spec/replicas',
        differs: true,
      },
    ]);

    // Git moves on; a sync that respects the rule leaves the replicas be.
    await repo.commit({ 'deploy/settings.yaml': configMap('settings', 'red') });
    app = {
      ...app,
      syncPolicy: { syncOptions: ['RespectIgnoreDifferences=true'] },
    };
    expect((await sync()).phase).toBe('Succeeded');
    expect((await replicasOf('web'))?.replicas).toBe(3);
    expect((await live('v1', 'ConfigMap', 'settings'))?.data as object).toEqual(
      { color: 'red' },
    );

    // Without the option, the rule only hides the diff: a sync applies Git.
    app = { ...app, syncPolicy: undefined };
    expect((await sync()).phase).toBe('Succeeded');
    expect((await replicasOf('web'))?.replicas).toBe(1);
  });

  it('ignoreDifferences holds with a jq path expression, evaluated by real jq', async () => {
    await repo.commit({ 'deploy/web.yaml': deployment('web', 1) });
    expect((await sync()).phase).toBe('Succeeded');
    // A person pins another image: drift at the container's image.
    await kubectl(
      '-n',
      namespace,
      'set',
      'image',
      'deployment/web',
      'main=nginx:1.28',
    );
    expect((await compare()).sync).toBe('OutOfSync');

    const expression =
      '.spec.template.spec.containers[] | select(.name == "main") | .image';
    app = {
      ...app,
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jqPathExpressions: [expression] },
      ],
    };
    const after = await compare();
    expect(after.conditions).toEqual([]);
    expect(after.sync).toBe('Synced');
    expect(after.resources[0].comparison.ignored).toEqual([
      {
        path: '/spec/template/spec/containers/0/image',
        reason: `ignoreDifferences: jqPathExpression ${expression}`,
        differs: true,
      },
    ]);

    // An expression jq refuses ignores nothing, and says so.
    app = {
      ...app,
      ignoreDifferences: [
        {
          group: 'apps',
          kind: 'Deployment',
          jqPathExpressions: ['.metadata.annotations['],
        },
      ],
    };
    const refused = await compare();
    expect(refused.sync).toBe('OutOfSync');
    expect(refused.conditions).toEqual([
      {
        type: 'Warning',
        message: expect.stringMatching(
          /^Deployment\/.*\/web: jqPathExpressions "\.metadata\.annotations\[" not applied: jq: error: syntax error/,
        ),
      },
    ]);

    // A sync that respects the rule keeps the pinned image, jq and all.
    await repo.commit({ 'deploy/settings.yaml': configMap('settings') });
    app = {
      ...app,
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jqPathExpressions: [expression] },
      ],
      syncPolicy: { syncOptions: ['RespectIgnoreDifferences=true'] },
    };
    expect((await sync()).phase).toBe('Succeeded');
    const image = async () =>
      (
        (await live('apps/v1', 'Deployment', 'web'))?.spec as {
          template: { spec: { containers: { image: string }[] } };
        }
      ).template.spec.containers[0].image;
    expect(await image()).toBe('nginx:1.28');
    // Without it, Git's image comes back.
    app = { ...app, syncPolicy: undefined };
    expect((await sync()).phase).toBe('Succeeded');
    expect(await image()).toBe('nginx:1.27');
  });

  it('retries a failed sync with the backoff of the definition', async () => {
    app = {
      ...app,
      syncPolicy: { retry: { limit: 2, backoff: { duration: '1s' } } },
    };
    await repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/bad.yaml': yaml({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'bad' },
        spec: { type: 'Bogus', ports: [{ port: 80 }] },
      }),
    });
    const started = Date.now();
    const state = await sync();

    expect(state.phase).toBe('Failed');
    expect(state.retryCount).toBe(2);
    expect(state.attempts).toHaveLength(2);
    expect(state.message).toContain('Service/');
    // 1s, then 2s (factor 2 by default) between the three attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  it('selfHeal repairs a live edit made with kubectl', async () => {
    app = {
      ...app,
      syncPolicy: {
        automated: { prune: false, selfHeal: true, allowEmpty: false },
      },
    };
    await repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/web.yaml': deployment('web'),
    });
    const loop = await createReconcileLoop({
      knex,
      app: () => app,
      cluster,
      repository,
    });
    await loop.refresh();
    await loop.settle();
    expect((await loop.status())?.sync).toBe('Synced');

    await kubectl(
      '-n',
      namespace,
      'patch',
      'configmap',
      'settings',
      '--type=merge',
      '-p',
      '{"data":{"color":"red"}}',
    );
    const seen = await loop.refresh();
    expect(seen.sync).toBe('OutOfSync');
    await loop.settle();

    const repaired = await eventually(
      () => live('v1', 'ConfigMap', 'settings'),
      obj => (obj?.data as { color?: string })?.color === 'blue',
    );
    expect(repaired?.data).toEqual({ color: 'blue' });
    expect(await loop.latestOperation()).toMatchObject({
      initiatedBy: 'automated',
      phase: 'Succeeded',
    });
    expect((await loop.status())?.sync).toBe('Synced');
  });
});
