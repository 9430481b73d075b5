import knexFactory, { Knex } from 'knex';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { testPostgresConnectionString } from '../database/__testUtils__/testDatabases';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { ChildBackend, startChildBackend } from '../__testUtils__/childBackend';
import {
  HangingServer,
  startHangingServer,
} from '../__testUtils__/hangingServer';
import { configMap } from '../__testUtils__/manifests';

// Two backend processes in a row, Git and the cluster, on a loaded machine.
jest.setTimeout(600_000);

const INTERVAL_SECONDS = 5;
/** Backstage's scheduler janitor frees expired task tickets this often. */
const JANITOR_PERIOD_MS = 60_000;
/** Room for a loaded machine: never what the assertions are about. */
const SLACK_MS = 30_000;

// Issue 13 item 2: a backend stopped in the middle of a pass must not stop
// the polling of the next one for longer than about one interval.
describe('polling after a backend restart, on a shared PostgreSQL', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  const normal = ['north', 'south', 'east', 'west', 'up', 'down'].map(
    name => `restart-${name}`,
  );
  // Its Git host never answers: its shard's run is in flight most of the
  // time, which is when the backend is stopped.
  const slow = 'restart-hanging';
  const all = [...normal, slow];
  let git: TestGitServer;
  let hanging: HangingServer;
  let repoUrl: string;
  let namespace: string;
  let prefix: string;
  let knex: Knex | undefined;
  const backends: ChildBackend[] = [];

  function config() {
    const application = (name: string, url: string) => ({
      name,
      source: { repoURL: url, path: `apps/${name}` },
      destination: { cluster: 'test', namespace },
    });
    return {
      backend: {
        database: {
          client: 'pg',
          connection: testPostgresConnectionString(),
          // Databases of this test's own, shared by its two backends.
          prefix,
        },
      },
      catalog: { rules: [{ allow: ['Component'] }] },
      gitops: {
        allowHttpRepositories: true,
        cacheDir: `/tmp/${prefix}mirrors`,
        clusters: [
          { name: 'test', kubeconfigPath: process.env.GITOPS_TEST_KUBECONFIG },
        ],
        applications: [
          ...normal.map(name => application(name, repoUrl)),
          application(slow, hanging.url('never')),
        ],
        reconcile: {
          interval: { seconds: INTERVAL_SECONDS },
          refreshBudgetSeconds: 10,
          gitTimeoutSeconds: 120,
          watch: false,
        },
      },
    };
  }

  async function start(): Promise<ChildBackend> {
    const backend = await startChildBackend(config());
    backends.push(backend);
    return backend;
  }

  // The gitops plugin's own database, made by the first backend.
  function database(): Knex {
    if (!knex) {
      const url = new URL(testPostgresConnectionString());
      url.pathname = `/${prefix}gitops`;
      knex = knexFactory({ client: 'pg', connection: url.toString() });
    }
    return knex;
  }

  async function reconciledAt(): Promise<Map<string, number>> {
    const rows = await database()('application_status').select(
      'name',
      'reconciled_at',
    );
    return new Map(
      rows.map(row => [row.name, new Date(row.reconciled_at).getTime()]),
    );
  }

  /** The run tickets of refresh tasks that some backend holds. */
  async function claimedRefreshTickets(): Promise<string[]> {
    const rows = await database()('backstage_backend_tasks__tasks')
      .where('id', 'like', 'gitops-refresh%')
      .whereNotNull('current_run_ticket')
      .select('current_run_ticket');
    return rows.map(row => row.current_run_ticket);
  }

  /** Refresh tasks whose run ticket some backend holds. */
  async function claimedRefreshTasks(): Promise<string[]> {
    const rows = await database()('backstage_backend_tasks__tasks')
      .where('id', 'like', 'gitops-refresh%')
      .whereNotNull('current_run_ticket')
      .select('id');
    return rows.map(row => row.id).sort();
  }

  async function waitFor<T>(
    what: string,
    timeoutMs: number,
    probe: () => Promise<T | undefined>,
    pollMs = 200,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      }
      await new Promise(resolve => setTimeout(resolve, pollMs));
    }
  }

  /** Every application compared after `since`; the milliseconds it took. */
  async function everyApplicationComparedAfter(
    since: number,
    timeoutMs: number,
  ): Promise<number> {
    await waitFor(
      `every application to be compared within ${timeoutMs} ms`,
      timeoutMs,
      async () => {
        const times = await reconciledAt();
        return all.every(name => (times.get(name) ?? 0) > since)
          ? true
          : undefined;
      },
    );
    return Date.now() - since;
  }

  /** Started, compared everything once, and a refresh run in flight. */
  async function backendInTheMiddleOfAPass(): Promise<ChildBackend> {
    const backend = await start();
    // The hanging one may still be waiting for Git.
    await waitFor('the first pass', 120_000, async () => {
      const times = await reconciledAt();
      return normal.every(name => times.has(name)) ? true : undefined;
    });
    // A run seen twice, 200 ms apart, is a long one: the hanging
    // application's, which goes on for seconds.
    let before = new Set<string>();
    const claimed = await waitFor(
      'a refresh run in flight',
      60_000,
      async () => {
        const tickets = await claimedRefreshTickets();
        const lasting = tickets.filter(ticket => before.has(ticket));
        before = new Set(tickets);
        return lasting.length > 0 ? lasting : undefined;
      },
      200,
    );
    expect(claimed.length).toBeGreaterThan(0);
    return backend;
  }

  beforeAll(async () => {
    git = await startGitServer();
    hanging = await startHangingServer();
    const repo = await createTestRepo(git, 'restarted');
    await repo.commit(
      Object.fromEntries(
        normal.map(name => [`apps/${name}/settings.yaml`, configMap(name)]),
      ),
    );
    repoUrl = repo.url;
  });
  afterAll(async () => {
    await hanging?.close();
    await git?.close();
  });
  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'restart');
    prefix = `gitops_restart_${Math.random().toString(36).slice(2, 8)}_`;
  });
  afterEach(async () => {
    for (const backend of backends.splice(0)) await backend.kill();
    await knex?.destroy();
    knex = undefined;
    await cluster.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  it('compares every application again soon after a backend killed mid-pass is restarted', async () => {
    const first = await backendInTheMiddleOfAPass();
    await first.kill();
    // What it was running stays claimed: no one released it.
    expect(await claimedRefreshTasks()).not.toEqual([]);
    await start();
    const restarted = Date.now();
    // A killed backend's run tickets stay claimed until they expire, one
    // interval after they were claimed, and Backstage's janitor frees them
    // once a minute: at worst the shards they hold wait that long.
    const took = await everyApplicationComparedAfter(
      restarted,
      INTERVAL_SECONDS * 1000 + JANITOR_PERIOD_MS + SLACK_MS,
    );
    // eslint-disable-next-line no-console
    console.log(
      `after SIGKILL: every application compared ${took} ms after the restart`,
    );
  });

  it('releases its run tickets at once when stopped gracefully, so the next backend polls at once', async () => {
    const first = await backendInTheMiddleOfAPass();
    await first.stop();
    expect(await claimedRefreshTasks()).toEqual([]);
    await start();
    const restarted = Date.now();
    const took = await everyApplicationComparedAfter(
      restarted,
      2 * INTERVAL_SECONDS * 1000 + SLACK_MS,
    );
    // eslint-disable-next-line no-console
    console.log(
      `after SIGTERM: every application compared ${took} ms after the restart`,
    );
  });
});
