import { DatabaseService } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import {
  allComparedOnce,
  comparisonsSeen,
} from '../__testUtils__/comparisonsSeen';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { configMap } from '../__testUtils__/manifests';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';

jest.setTimeout(300_000);

const INTERVAL_SECONDS = 5;
const WATCHED_MS = 6 * INTERVAL_SECONDS * 1000;

const databases = createTestDatabases();
const postgres = databases
  .eachSupportedId()
  .map(([id]) => id)
  .find(id => id.startsWith('POSTGRES'))!;

// Each replica runs every shard's task; Backstage gives each run to one of
// them, and each run reads the reconciledAt both write.
describe('two backend replicas on one PostgreSQL', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  const names = Array.from({ length: 8 }, (_, i) => `replicated-${i}`);
  let git: TestGitServer;
  let namespace: string;
  let knex: Knex;
  const backends: GitopsTestBackend[] = [];
  const connections: Knex[] = [];

  beforeAll(async () => {
    git = await startGitServer();
  });
  afterAll(async () => {
    await git?.close();
  });
  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'replicas');
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

  it('compare each application about once per interval between them, not once each', async () => {
    const repo = await createTestRepo(git, 'replicated');
    await repo.commit(
      Object.fromEntries(
        names.map(name => [`apps/${name}/settings.yaml`, configMap(name)]),
      ),
    );
    const gitops = {
      applications: names.map(name => ({
        name,
        source: { repoURL: repo.url, path: `apps/${name}` },
        destination: { cluster: 'test', namespace },
      })),
      reconcile: {
        interval: { seconds: INTERVAL_SECONDS },
        shards: 4,
        watch: false,
      },
    };
    for (let i = 0; i < 2; i++) {
      // Each replica with a connection pool of its own.
      const own = knexFactory(knex.client.config);
      connections.push(own);
      backends.push(
        await startGitopsTestBackend({
          knex: own,
          realScheduler: true,
          gitops,
        }),
      );
    }
    const statuses = await ApplicationStatusStore.create({
      database: { getClient: async () => knex } as DatabaseService,
    });
    await allComparedOnce(statuses, names);

    const comparisons = await comparisonsSeen(statuses, names, WATCHED_MS);
    // eslint-disable-next-line no-console
    console.log(
      `comparisons of each application by two replicas in ${WATCHED_MS} ms (interval ${INTERVAL_SECONDS} s):`,
      comparisons,
    );
    // One interval apart at least: 30 s hold 6 intervals, and the first
    // value seen is the comparison before the window. Two replicas each
    // comparing every application would make about twice as many.
    const most = WATCHED_MS / (INTERVAL_SECONDS * 1000) + 1;
    expect(names.filter(name => comparisons[name] > most)).toEqual([]);
    // And polling goes on.
    expect(names.filter(name => comparisons[name] < 3)).toEqual([]);
  });
});
