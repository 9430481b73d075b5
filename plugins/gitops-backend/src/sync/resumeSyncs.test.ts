import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import {
  GitopsTestBackend,
  eventually,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';

// Two backends, Git and the cluster, under a loaded machine.
jest.setTimeout(180_000);

const databases = createTestDatabases();
const postgres = databases
  .eachSupportedId()
  .map(([id]) => id)
  .find(id => id.startsWith('POSTGRES'))!;

// A PreSync hook that stays Running until the test lets it go: a suspended
// Job creates no Pod (kwok completes a Job's Pods by itself).
const waitingHook = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  suspend: true
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: m, image: busybox }]
`;
const settings = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
`;

type Operation = {
  id: string;
  phase: string;
  message?: string;
  tasks: { kind: string; name: string; hookPhase?: string; status: string }[];
};

describe('syncs under a lease in a shared PostgreSQL', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  let git: TestGitServer;
  let namespace: string;
  let repoUrl: string;
  let knex: Knex;
  const backends: GitopsTestBackend[] = [];
  const connections: Knex[] = [];

  // One backend replica: its own connection pool to the shared database.
  async function startReplica(
    applications: object[],
    reconcile: object = {},
    realScheduler = true,
  ): Promise<GitopsTestBackend> {
    const own = knexFactory(knex.client.config);
    connections.push(own);
    const backend = await startGitopsTestBackend({
      knex: own,
      realScheduler,
      gitops: {
        applications,
        reconcile: { enabled: false, watch: false, ...reconcile },
      },
    });
    backends.push(backend);
    return backend;
  }

  const app = (name: string) => ({
    name,
    source: { repoURL: repoUrl, path: 'deploy' },
    destination: { cluster: 'test', namespace },
  });

  const operation = async (
    server: GitopsTestBackend,
    name: string,
    id: string,
  ) =>
    (
      await request(server.server).get(
        `/api/gitops/applications/${name}/operations/${id}`,
      )
    ).body as Operation;

  const hookJob = () =>
    cluster.get({
      apiVersion: 'batch/v1',
      kind: 'Job',
      namespace,
      name: 'migrate',
    });

  const releaseHook = () =>
    cluster.mergePatch({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace },
      spec: { suspend: false },
    });

  async function hookRunning(
    server: GitopsTestBackend,
    name: string,
    id: string,
  ) {
    return eventually(
      async () => {
        const op = await operation(server, name, id);
        const hook = op.tasks?.find(task => task.name === 'migrate');
        return hook?.hookPhase === 'Running' ? op : undefined;
      },
      'the PreSync hook to run',
      300,
    );
  }

  async function finished(server: GitopsTestBackend, name: string, id: string) {
    return eventually(
      async () => {
        const op = await operation(server, name, id);
        return op.phase === 'Running' || op.phase === 'Terminating'
          ? undefined
          : op;
      },
      'the operation to finish',
      400,
    );
  }

  beforeAll(async () => {
    git = await startGitServer();
    const repo = await createTestRepo(git, 'leased');
    await repo.commit({
      'deploy/migrate.yaml': waitingHook,
      'deploy/settings.yaml': settings,
    });
    repoUrl = repo.url;
  });
  afterAll(async () => {
    await git?.close();
  });
  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'lease');
    // A fresh database per test, shared by the test's replicas.
    knex = await databases.init(postgres);
  });
  afterEach(async () => {
    for (const backend of backends.splice(0)) await backend.stop();
    for (const connection of connections.splice(0)) await connection.destroy();
    await cluster.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  it('never syncs one application on two backends at once', async () => {
    const first = await startReplica([app('twice')]);
    const second = await startReplica([app('twice')]);
    const sync = (backend: GitopsTestBackend) =>
      request(backend.server)
        .post('/api/gitops/applications/twice/sync')
        .send({});
    const answers = await Promise.all([sync(first), sync(second)]);
    expect(answers.map(a => a.status).sort()).toEqual([202, 409]);
    const winner = answers.find(a => a.status === 202)!.body.id as string;
    const loser = answers.find(a => a.status === 409)!;
    expect(loser.body.error.message).toMatch(/being synced already/);

    // Held while the hook runs: neither backend may start another.
    await hookRunning(first, 'twice', winner);
    expect((await sync(first)).status).toBe(409);
    expect((await sync(second)).status).toBe(409);

    await releaseHook();
    expect((await finished(second, 'twice', winner)).phase).toBe('Succeeded');
    const rows = await knex('operations').where({ application: 'twice' });
    expect(rows.map(row => row.id)).toEqual([winner]);
  });

  it('resumes a sync whose backend stopped mid-sync on another backend, from its stored state', async () => {
    const first = await startReplica([app('resumed')], { leaseSeconds: 3 });
    const started = await request(first.server)
      .post('/api/gitops/applications/resumed/sync')
      .send({});
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    await hookRunning(first, 'resumed', id);
    const hookBefore = await hookJob();
    expect(hookBefore?.metadata.uid).toBeDefined();

    await first.stop();
    backends.splice(backends.indexOf(first), 1);
    // Left Running, not failed: its state is there to resume from.
    const [stopped] = await knex('operations').where({ id });
    expect(stopped.phase).toBe('Running');
    // As if the backend had been killed: its lease still runs for a while.
    await knex('application_leases')
      .insert({
        application: 'resumed',
        holder: 'a-killed-backend',
        expires_at: new Date(Date.now() + 3000),
      })
      .onConflict('application')
      .merge();

    const second = await startReplica([app('resumed')], { leaseSeconds: 3 });
    // The resumed operation waits on the same hook run: release it now.
    await eventually(
      async () =>
        (await knex('application_leases').where({ application: 'resumed' }))
          .map(row => row.holder)
          .find(holder => holder !== 'a-killed-backend'),
      'the second backend to take the lease',
      150,
    );
    await releaseHook();
    const done = await finished(second, 'resumed', id);
    expect(done).toMatchObject({ id, phase: 'Succeeded' });
    expect(
      done.tasks.map(task => [
        task.kind,
        task.name,
        task.status,
        task.hookPhase,
      ]),
    ).toEqual([
      ['Job', 'migrate', 'Synced', 'Succeeded'],
      ['ConfigMap', 'settings', 'Synced', undefined],
    ]);
    // The hook ran once: the same Job, never deleted and created again.
    expect((await hookJob())?.metadata.uid).toBe(hookBefore?.metadata.uid);
    expect(
      await cluster.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace,
        name: 'settings',
      }),
    ).toBeDefined();
    expect(
      await knex('operations').where({ application: 'resumed' }),
    ).toHaveLength(1);
  });

  it.each([
    {
      change: 'the application left the configuration',
      path: undefined,
      reason: 'application "gone" no longer exists',
    },
    {
      change: 'its path no longer renders',
      path: 'missing',
      reason: expect.stringMatching(
        /cannot resume: application "gone": path "missing" is not a directory at commit [0-9a-f]{7}$/,
      ),
    },
  ])(
    'ends Failed, with the reason, a sync that cannot resume: $change',
    async ({ path, reason }) => {
      const first = await startReplica([app('gone')], { leaseSeconds: 3 });
      const started = await request(first.server)
        .post('/api/gitops/applications/gone/sync')
        .send({});
      const id = started.body.id as string;
      await hookRunning(first, 'gone', id);
      await first.stop();
      backends.splice(backends.indexOf(first), 1);

      // The configuration changed while no backend ran.
      const changed = { ...app('gone'), source: { repoURL: repoUrl, path } };
      await startReplica(path ? [changed] : [], { leaseSeconds: 3 });
      const ended = await eventually(
        async () => {
          const [row] = await knex('operations').where({ id });
          return row.phase === 'Running' ? undefined : row;
        },
        'the operation to end',
        150,
      );
      expect(ended.phase).toBe('Failed');
      expect(ended.message).toMatch(
        /^Interrupted when its backend stopped, and cannot resume: /,
      );
      expect(ended.message).toEqual(
        typeof reason === 'string'
          ? `Interrupted when its backend stopped, and cannot resume: ${reason}`
          : reason,
      );
      expect(ended.finished_at).not.toBeNull();
    },
  );

  it('ends an interrupted sync as superseded when a new sync takes the lease before it resumes', async () => {
    const first = await startReplica([app('newer')], { leaseSeconds: 2 });
    const started = await request(first.server)
      .post('/api/gitops/applications/newer/sync')
      .send({});
    const old = started.body.id as string;
    await hookRunning(first, 'newer', old);
    await first.stop();
    backends.splice(backends.indexOf(first), 1);
    await knex('application_leases').insert({
      application: 'newer',
      holder: 'a-killed-backend',
      expires_at: new Date(Date.now() + 2000),
    });
    // The test backend's scheduler runs the resume pass once, at startup,
    // while the dead backend's lease still holds: it stays to resume.
    const second = await startReplica(
      [app('newer')],
      { leaseSeconds: 2 },
      false,
    );
    expect((await knex('operations').where({ id: old }))[0].phase).toBe(
      'Running',
    );
    await new Promise(resolve => setTimeout(resolve, 2500));
    const newer = await request(second.server)
      .post('/api/gitops/applications/newer/sync')
      .send({});
    expect(newer.status).toBe(202);
    expect(await operation(second, 'newer', old)).toMatchObject({
      phase: 'Failed',
      message:
        'Interrupted when its backend stopped, and superseded by a newer sync before it could resume',
    });
    // Its own run of the hook (the old one is deleted before it is created).
    await hookRunning(second, 'newer', newer.body.id);
    await releaseHook();
    expect((await finished(second, 'newer', newer.body.id)).phase).toBe(
      'Succeeded',
    );
  });

  it('does not resume an automated sync once its definition is no longer automated', async () => {
    const automated = {
      ...app('turned-off'),
      syncPolicy: { automated: { prune: false, selfHeal: false } },
    };
    const first = await startReplica([automated], { leaseSeconds: 3 });
    // The refresh finds it OutOfSync and starts the automated sync.
    await request(first.server)
      .post('/api/gitops/applications/turned-off/refresh')
      .send({});
    const [row] = await eventually(
      async () => {
        const rows = await knex('operations').where({
          application: 'turned-off',
        });
        return rows.length > 0 ? rows : undefined;
      },
      'the automated sync to start',
      150,
    );
    expect(row.initiated_by).toBe('automated');
    await hookRunning(first, 'turned-off', row.id);
    await first.stop();
    backends.splice(backends.indexOf(first), 1);

    // Meanwhile a commit turned automated off: the next backend reads that.
    const second = await startReplica([app('turned-off')], {
      leaseSeconds: 3,
    });
    const done = await finished(second, 'turned-off', row.id);
    expect(done.phase).toBe('Failed');
    expect(done.message).toContain(
      'it is an automated sync, and automated sync is now off',
    );
    // Nothing was applied after the PreSync hook.
    expect(
      await cluster.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace,
        name: 'settings',
      }),
    ).toBeUndefined();
  });
});
