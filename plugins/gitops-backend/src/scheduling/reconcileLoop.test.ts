import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { mkdtemp, rm } from 'fs/promises';
import { Knex } from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClusterClient } from '../cluster/ClusterClient';
import { OperationStore } from '../database/OperationStore';
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
  b64,
  configMap,
  deployment,
  eventually,
  yaml,
} from '../__testUtils__/manifests';
import { createReconcileLoop, kubectl } from '../__testUtils__/reconcileLoop';
import { compareApplication } from '../compare/compareApplication';

jest.setTimeout(240_000);

// The whole loop of plugin.ts (refresh, automated sync, the refresh closing
// it) against the real cluster, database and Git server.
describe('the reconcile loop on the test cluster', () => {
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

  beforeAll(() => {
    cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  });

  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'loop');
    server = await startGitServer();
    repo = await createTestRepo(server, 'shop');
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-loop-'));
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
      syncPolicy: {
        automated: { prune: false, selfHeal: true, allowEmpty: false },
      },
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

  it('detects an HPA fighting selfHeal over replicas, stops fighting, and says how to end it', async () => {
    await repo.commit({ 'deploy/web.yaml': deployment('web', 1) });
    const loop = await createReconcileLoop({
      knex,
      app: () => app,
      cluster,
      repository,
      syncLoopSettings: { threshold: 3 },
    });
    await loop.refresh();
    await loop.settle();
    expect((await loop.status())?.sync).toBe('Synced');

    // An autoscaler Git does not know: the HPA controller sets the replicas
    // to its minimum, selfHeal sets them back to Git's, and so on.
    await kubectl(
      '-n',
      namespace,
      'autoscale',
      'deployment/web',
      '--min=2',
      '--max=4',
      '--cpu-percent=80',
    );

    const looping = await eventually(
      async () => {
        const status = await loop.refresh();
        await loop.settle();
        return status;
      },
      status => (status.conditions ?? []).some(c => c.type === 'SyncLoop'),
      180_000,
      1000,
    );
    const condition = looping.conditions?.find(c => c.type === 'SyncLoop');
    expect(condition?.message).toContain(
      `sync loop: selfHeal stopped for Deployment/${namespace}/web: field /spec/replicas was set back by field manager "kube-controller-manager"`,
    );
    expect(condition?.message).toContain(
      `add to ignoreDifferences {group: apps, kind: Deployment, name: web, namespace: ${namespace}, jsonPointers: [/spec/replicas]}`,
    );
    const syncsSoFar = (
      await loop.operations.listOperations(app.name, { offset: 0, limit: 100 })
    ).totalItems;
    expect(syncsSoFar).toBeGreaterThanOrEqual(3);

    // Stopped: more refreshes start no sync, and the HPA's value stays.
    for (let i = 0; i < 5; i++) {
      const status = await loop.refresh();
      expect(status.conditions?.map(c => c.type)).toContain('SyncLoop');
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
    await loop.settle();
    expect(
      (
        await loop.operations.listOperations(app.name, {
          offset: 0,
          limit: 100,
        })
      ).totalItems,
    ).toBe(syncsSoFar);
    const web = await cluster.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace,
      name: 'web',
    });
    expect((web?.spec as { replicas: number }).replicas).toBe(2);

    // The suggested entry ends it: no drift, no condition.
    app = {
      ...app,
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      ],
      syncPolicy: {
        ...app.syncPolicy,
        syncOptions: ['RespectIgnoreDifferences=true'],
      },
    };
    const ended = await loop.refresh();
    expect(ended.sync).toBe('Synced');
    expect(ended.conditions ?? []).toEqual([]);
  });

  it('never shows a Secret in clear: desired or live, in diffs, conditions, operations, errors or logs, even one the API server rejects', async () => {
    const password = 'hunter2-Sup3r-S3cret';
    const token = 'tok-0123456789-abcdef';
    const rejected = 'rejected-P4ssw0rd-value';
    await repo.commit({
      'deploy/credentials.yaml': yaml({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'credentials' },
        data: { password: b64(password) },
      }),
      'deploy/token.yaml': yaml({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'token' },
        stringData: { token },
      }),
      'deploy/settings.yaml': configMap('settings'),
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

    // Live drift of a Secret, then an invalid Secret in Git: its data is not
    // base64, so the API server refuses it.
    await kubectl(
      '-n',
      namespace,
      'patch',
      'secret',
      'credentials',
      '--type=merge',
      '-p',
      JSON.stringify({ data: { password: b64(`${password}-live`) } }),
    );
    await repo.commit({
      'deploy/broken.yaml': yaml({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'broken' },
        data: { key: `${rejected}!` },
      }),
    });
    const comparison = await compareApplication({ app, cluster, repository });
    await loop.refresh();
    await loop.settle();
    const failed = await loop.latestOperation();
    expect(failed.phase).toBe('Failed');
    const detail = await loop.operations.getOperation(app.name, failed.id);
    const broken = detail?.tasks.find(t => t.name === 'broken');
    expect(broken?.status).toBe('SyncFailed');
    expect(broken?.message).not.toBe('');

    // The manifests a sync applies hold the values (that is their job) and
    // never leave the backend; everything shown or stored must not.
    const { desired, hooks, ...shown } = comparison;
    expect(JSON.stringify(desired)).toContain(b64(password));
    expect(hooks).toEqual([]);
    const everything = JSON.stringify({
      comparison: shown,
      status: await loop.status(),
      operations: await loop.operations.listOperations(app.name, {
        offset: 0,
        limit: 100,
      }),
      detail,
      rows: await knex('operations').select(),
      statusRows: await knex('application_status').select(),
      logs: loop.logger.lines,
    });
    for (const secret of [
      password,
      b64(password),
      `${password}-live`,
      b64(`${password}-live`),
      token,
      b64(token),
      rejected,
    ]) {
      expect(everything).not.toContain(secret);
    }
    // What makes the check bite: the masks are there, and so is the diff.
    expect(everything).toContain('++++++++');
    expect(
      comparison.resources.find(r => r.name === 'credentials')?.comparison
        .status,
    ).toBe('OutOfSync');
  });

  // A commit that turns `automated` off (in the Application YAML, say)
  // reaches the loop's getter as a definition without it.
  const turnAutomatedOff = () => {
    app = { ...app, syncPolicy: {} };
  };
  const operationCount = async (loop: { operations: OperationStore }) =>
    (await loop.operations.listOperations(app.name, { offset: 0, limit: 100 }))
      .totalItems;

  it('starts no sync after automated is turned off, not even from the refresh that ends a running sync', async () => {
    // A PreSync hook that runs until the test lets it go: a suspended Job
    // creates no Pod.
    const hook = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: 'migrate',
        annotations: {
          'argocd.argoproj.io/hook': 'PreSync',
          'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
        },
      },
      spec: {
        suspend: true,
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'migrate', image: 'busybox:1.36' }],
          },
        },
      },
    };
    await repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/migrate.yaml': yaml(hook),
    });
    const loop = await createReconcileLoop({
      knex,
      app: () => app,
      cluster,
      repository,
    });
    await loop.refresh();
    const job = { apiVersion: 'batch/v1', kind: 'Job', namespace };
    await eventually(
      () => cluster.get({ ...job, name: 'migrate' }),
      found => found !== undefined,
      60_000,
    );

    // While it runs: automated goes off, and Git moves on.
    turnAutomatedOff();
    await repo.commit({ 'deploy/settings.yaml': configMap('settings', 'red') });
    await cluster.mergePatch({
      ...job,
      metadata: { name: 'migrate', namespace },
      spec: { suspend: false },
    });
    await loop.settle(120_000);
    expect((await loop.latestOperation())?.phase).toBe('Succeeded');

    // The refresh that ended the sync, and every later one, starts nothing.
    for (let i = 0; i < 3; i++) {
      // Waits for the refresh before it, and the sync that one may start.
      const status = await loop.refresh();
      expect(await operationCount(loop)).toBe(1);
      expect(status.sync).toBe('OutOfSync');
    }
    const settings = await cluster.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace,
      name: 'settings',
    });
    expect(settings?.data).toEqual({ color: 'blue' });
  });

  it('retries an automated sync no more once automated is turned off', async () => {
    app = {
      ...app,
      syncPolicy: {
        ...app.syncPolicy,
        retry: { limit: 3, backoff: { duration: '3s', factor: 2 } },
      },
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
    const loop = await createReconcileLoop({
      knex,
      app: () => app,
      cluster,
      repository,
    });
    await loop.refresh();
    await eventually(
      () => loop.latestOperation(),
      op => (op?.message ?? '').includes('retry 1 of 3'),
      60_000,
    );

    turnAutomatedOff();
    await loop.settle(120_000);
    const operation = (await loop.latestOperation())!;
    expect(operation.phase).toBe('Failed');
    expect(operation.message).toContain(
      'not retried: automated sync is now off',
    );
    expect(await operationCount(loop)).toBe(1);
  });
});
