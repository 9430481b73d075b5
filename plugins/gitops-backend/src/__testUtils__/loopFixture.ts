import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { Knex } from 'knex';
import { ClusterClient } from '../cluster/ClusterClient';
import { RepositoryService } from '../repository';
import { TestRepo } from '../repository/__testUtils__/testRepo';
import { useTestApplication } from './testApplication';

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
 * The per-test setup of `useTestApplication` (a namespace, a Git server with
 * one repository, a repository service, a SQLite database), read as one
 * value per test, for tests that pass it around whole. Call at the top of a
 * `describe`.
 */
export function useLoopFixture(prefix: string): () => LoopFixture {
  const t = useTestApplication(prefix);
  return () => {
    if (!t.repo) throw new Error('the loop fixture is set up per test');
    return {
      cluster: t.cluster,
      namespace: t.namespace,
      repo: t.repo,
      repository: t.repository,
      knex: t.knex,
      application: (name, path, syncPolicy) => ({
        ...t.newApp(name, path),
        ...(syncPolicy ? { syncPolicy } : {}),
      }),
    };
  };
}
