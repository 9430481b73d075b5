import { Knex } from 'knex';
import {
  allComparedOnce,
  comparisonsSeen,
} from '../__testUtils__/comparisonsSeen';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import {
  HangingServer,
  startHangingServer,
} from '../__testUtils__/hangingServer';
import { configMap } from '../__testUtils__/manifests';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { DatabaseService } from '@backstage/backend-plugin-api';

jest.setTimeout(300_000);

const INTERVAL_SECONDS = 5;
/** How long the loop is watched once every application was compared. */
const WATCHED_MS = 6 * INTERVAL_SECONDS * 1000;

const databases = createTestDatabases();
const postgres = databases
  .eachSupportedId()
  .map(([id]) => id)
  .find(id => id.startsWith('POSTGRES'))!;

// Issue 13 item 4: one application whose source never answers (a hanging
// Git host, as a huge source or a stuck plugin would be) in the same shard
// as the others, compared one at a time.
describe('one slow application among normal ones', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  const normal = ['red', 'green', 'blue', 'cyan', 'pink'].map(
    name => `slow-among-${name}`,
  );
  const slow = 'slow-hanging';
  let git: TestGitServer;
  let hanging: HangingServer;
  let namespace: string;
  let knex: Knex;
  let backend: GitopsTestBackend | undefined;

  beforeAll(async () => {
    git = await startGitServer();
    hanging = await startHangingServer();
  });
  afterAll(async () => {
    await hanging?.close();
    await git?.close();
  });
  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'slow');
    knex = await databases.init(postgres);
  });
  afterEach(async () => {
    await backend?.stop();
    await cluster.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  it('keeps every normal application on its interval, and says why the slow one is not compared', async () => {
    const repo = await createTestRepo(git, 'normal');
    await repo.commit(
      Object.fromEntries(
        normal.map(name => [`apps/${name}/settings.yaml`, configMap(name)]),
      ),
    );
    const application = (name: string, repoURL: string) => ({
      name,
      source: { repoURL, path: `apps/${name}` },
      destination: { cluster: 'test', namespace },
    });
    backend = await startGitopsTestBackend({
      knex,
      realScheduler: true,
      gitops: {
        applications: [
          application(slow, hanging.url('huge')),
          ...normal.map(name => application(name, repo.url)),
        ],
        reconcile: {
          interval: { seconds: INTERVAL_SECONDS },
          refreshBudgetSeconds: 2,
          gitTimeoutSeconds: 120,
          // All in one shard, one comparison at a time: the slow one is in
          // the way of every other, unless it is cut off.
          shards: 1,
          concurrency: 1,
          watch: false,
        },
      },
    });
    const statuses = await ApplicationStatusStore.create({
      database: { getClient: async () => knex } as DatabaseService,
    });
    const all = [slow, ...normal];
    await allComparedOnce(statuses, all);

    // Watched for a while: each comparison of each application.
    const comparisons = await comparisonsSeen(statuses, normal, WATCHED_MS);
    // eslint-disable-next-line no-console
    console.log(
      `comparisons of each normal application in ${WATCHED_MS} ms (interval ${INTERVAL_SECONDS} s):`,
      comparisons,
    );
    // At least every other interval, on a loaded machine; without a budget
    // the hanging one holds the only slot for its whole Git timeout (2 min).
    expect(normal.filter(name => comparisons[name] < 3)).toEqual([]);

    const status = (await statuses.readStatuses([slow])).get(slow);
    expect(status).toMatchObject({ sync: 'Unknown', health: 'Unknown' });
    expect(status?.conditions).toContainEqual({
      type: 'ComparisonError',
      message: expect.stringMatching(
        /^comparison took longer than 2 seconds and was abandoned/,
      ),
    });
    for (const name of normal) {
      expect((await statuses.readStatuses([name])).get(name)).toMatchObject({
        sync: 'OutOfSync',
        conditions: [],
      });
    }
  });
});
