import { TestDatabases } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { mkdtemp, rm } from 'fs/promises';
import { Knex } from 'knex';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClusterClient } from '../../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../../cluster/__testUtils__/testCluster';
import {
  RepositoryService,
  createGitMirrors,
  createRepositoryService,
} from '../../repository';
import {
  TestGitServer,
  startGitServer,
} from '../../repository/__testUtils__/gitServer';
import {
  TestRepo,
  createTestRepo,
} from '../../repository/__testUtils__/testRepo';

export type LoopFixture = {
  cluster: ClusterClient;
  namespace: string;
  repo: TestRepo;
  repository: RepositoryService;
  knex: Knex;
  /** An application of `path` in the repository, named uniquely. */
  application(
    prefix: string,
    path: string,
    syncPolicy?: ApplicationDefinition['syncPolicy'],
  ): ApplicationDefinition;
};

/**
 * Per test: a namespace of the real cluster, a Git server with one
 * repository, a repository service, and a SQLite database; all removed
 * after the test. Call at the top of a `describe`.
 */
export function useLoopFixture(prefix: string): () => LoopFixture {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let fixture: LoopFixture | undefined;
  let server: TestGitServer;
  let cacheDir: string;

  beforeEach(async () => {
    const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
    const namespace = await createTestNamespace(cluster, prefix);
    server = await startGitServer();
    const repo = await createTestRepo(server, prefix);
    cacheDir = await mkdtemp(join(tmpdir(), `gitops-${prefix}-`));
    const repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
    const knex = await databases.init('SQLITE_3');
    fixture = {
      cluster,
      namespace,
      repo,
      repository,
      knex,
      // Tracking ids are cluster-wide by application name.
      application: (name, path, syncPolicy) => ({
        name: `${name}-${Math.random().toString(36).slice(2, 8)}`,
        origin: 'config',
        entityRefs: [],
        source: { repoURL: repo.url, path, targetRevision: 'HEAD' },
        destination: { cluster: 'in-cluster', namespace },
        ...(syncPolicy ? { syncPolicy } : {}),
      }),
    };
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    await fixture?.cluster.delete(
      { apiVersion: 'v1', kind: 'Namespace', name: fixture.namespace },
      { propagationPolicy: 'Background' },
    );
    fixture = undefined;
  });

  return () => {
    if (!fixture) throw new Error('the loop fixture is set up per test');
    return fixture;
  };
}
