import { mockServices } from '@backstage/backend-test-utils';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterClient } from '../../cluster/ClusterClient';
import { testKubeConfig } from '../../cluster/__testUtils__/testCluster';
import { createGitMirrors, createRepositoryService } from '../../repository';
import {
  TestGitServer,
  startGitServer,
} from '../../repository/__testUtils__/gitServer';
import { createTestRepo } from '../../repository/__testUtils__/testRepo';
import { createArgoSource } from './ArgoSource';

const application = (
  name: string,
  path: string,
) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://git.example.com/apps.git
    path: ${path}
    targetRevision: HEAD
  destination:
    server: https://kubernetes.default.svc
    namespace: ${name}
`;

describe('Argo CD definitions from a Git folder', () => {
  let server: TestGitServer;
  let cacheDir: string;

  beforeEach(async () => {
    server = await startGitServer();
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-argo-source-'));
  });
  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('maps the folder again only when its commit changed', async () => {
    const repo = await createTestRepo(server, 'definitions');
    await repo.commit({ 'apps/web.yaml': application('web', 'web') });
    const repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
    const render = jest.spyOn(repository, 'render');
    const source = createArgoSource({
      // Read again at every call: only the commit decides.
      settings: {
        git: [
          {
            repoURL: repo.url,
            path: 'apps',
            targetRevision: 'HEAD',
            recurse: false,
          },
        ],
        clusters: [],
        cacheMs: -1,
      },
      repository,
      clientFor: () => ClusterClient.fromKubeConfig(testKubeConfig()),
      mapContext: () => ({
        clusters: [{ name: 'in-cluster' }],
        allowHttp: true,
        inClusterName: 'in-cluster',
      }),
      logger: mockServices.logger.mock(),
    });

    const first = await source.read();
    expect(first.applications.map(a => a.name)).toEqual(['web']);
    const second = await source.read();
    expect(render).toHaveBeenCalledTimes(2);
    // The same commit: the definitions are the ones mapped before.
    expect(second).toBe(first);

    await repo.commit({ 'apps/shop.yaml': application('shop', 'shop') });
    const third = await source.read();
    expect(third).not.toBe(first);
    expect(third.applications.map(a => a.name).sort()).toEqual(['shop', 'web']);
    await source.stop();
  });
});
