import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { mkdtemp, rm } from 'fs/promises';
import { Knex } from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
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
import { createReconcileLoop } from './reconcileLoop';

export type TestApplicationContext = {
  cluster: ClusterClient;
  repository: RepositoryService;
  repo: TestRepo;
  knex: Knex;
  /** The test's own namespace, deleted afterwards. */
  namespace: string;
  /** Namespaces a test made (CreateNamespace), deleted afterwards. */
  extraNamespaces: string[];
  /** An application on `repo`'s `deploy/`, with a name unique to the test. */
  newApp(prefix: string, path?: string): ApplicationDefinition;
  /** The reconcile loop (refresh, auto-sync, manual sync) of one app. */
  loop(
    app: () => ApplicationDefinition,
  ): ReturnType<typeof createReconcileLoop>;
  /** Git fetches the test's repository has served so far. */
  gitRequests(): number;
  /** Live objects of a kind in the test's namespace. */
  list(apiVersion: string, kind: string): Promise<KubeObject[]>;
};

/**
 * Registers the per-test setup of the reconciler's cluster tests: a
 * namespace, a Git server with one repository, a repository service and a
 * SQLite database. The context's fields are filled in before each test.
 */
export function useTestApplication(prefix: string): TestApplicationContext {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let server: TestGitServer;
  let cacheDir: string;
  const context = { extraNamespaces: [] as string[] } as TestApplicationContext;

  beforeAll(() => {
    context.cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  });

  beforeEach(async () => {
    const { cluster } = context;
    context.namespace = await createTestNamespace(cluster, prefix);
    server = await startGitServer();
    context.repo = await createTestRepo(server, prefix);
    cacheDir = await mkdtemp(join(tmpdir(), `gitops-${prefix}-`));
    context.repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
    context.knex = await databases.init('SQLITE_3');
    context.newApp = (appPrefix, path = 'deploy') => ({
      name: `${appPrefix}-${Math.random().toString(36).slice(2, 8)}`,
      origin: 'config',
      entityRefs: [],
      source: { repoURL: context.repo.url, path, targetRevision: 'HEAD' },
      destination: { cluster: 'in-cluster', namespace: context.namespace },
    });
    context.loop = app =>
      createReconcileLoop({
        knex: context.knex,
        app,
        cluster,
        repository: context.repository,
      });
    context.gitRequests = () => server.fetchCount(prefix);
    context.list = (apiVersion, kind) =>
      cluster.list(apiVersion, kind, { namespace: context.namespace });
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    for (const name of [
      context.namespace,
      ...context.extraNamespaces.splice(0),
    ]) {
      await context.cluster.delete(
        { apiVersion: 'v1', kind: 'Namespace', name },
        { propagationPolicy: 'Background' },
      );
    }
  });

  return context;
}

/** A hook Job as Argo CD's resource-hooks guide writes one. */
export function hookJob(
  metadata: { name?: string; generateName?: string },
  annotations: Record<string, string>,
) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...metadata, annotations },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'migrate',
              image: 'busybox:1.36',
              command: ['sh', '-c', 'echo migrating'],
            },
          ],
        },
      },
    },
  };
}
