import request from 'supertest';
import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';

jest.setTimeout(90_000);

describe('SyncService', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  let namespace: string;
  let git: TestGitServer;
  let backend: GitopsTestBackend;

  beforeAll(async () => {
    namespace = await createTestNamespace(cluster, 'sync-once');
    git = await startGitServer();
    const repo = await createTestRepo(git, 'once');
    await repo.commit({
      'deploy/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
    });
    backend = await startGitopsTestBackend({
      gitops: {
        applications: [
          {
            name: 'once',
            source: { repoURL: repo.url, path: 'deploy' },
            destination: { cluster: 'test', namespace },
          },
        ],
      },
    });
  });

  afterAll(async () => {
    await backend.stop();
    await git.close();
    await cluster.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  it('starts one sync of an application at a time, also on one backend', async () => {
    // The lease lets its own holder in again: two starts at once on the same
    // backend (a watch refresh and a post-sync refresh, say) must not both run.
    const sync = () =>
      request(backend.server)
        .post('/api/gitops/applications/once/sync')
        .send({});
    const answers = await Promise.all([sync(), sync()]);
    expect(answers.map(a => a.status).sort()).toEqual([202, 409]);
    const history = await request(backend.server).get(
      '/api/gitops/applications/once/operations',
    );
    expect(history.body.totalItems).toBe(1);
  });
});
