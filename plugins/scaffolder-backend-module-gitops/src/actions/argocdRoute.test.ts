import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The test runs the real peer; the module itself only speaks HTTP to it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { actionContext } from '../__testUtils__/actionContext';
import { startDevGitServer } from '../__testUtils__/devGitServer';
import { testSettings } from '../__testUtils__/settings';
import { createGitopsApiFactory } from '../client/GitopsApiClient';
import { commitToRepository } from '../git/commitToRepository';
import { createApplicationAction } from './createApplicationAction';
import { awaitRegistration } from './follow';

jest.setTimeout(90_000);

// The Argo CD route end to end, short of a cluster: the action commits its
// Application YAML to a Git folder that the real gitops backend reads as an
// Argo CD location, and the backend serves it as the requested application,
// linked to the component.
describe('an Argo CD Application written by gitops:application:create', () => {
  it('is read back by the backend as the same application', async () => {
    const git = await startDevGitServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-argocd-route-'));
    // The destination cluster is only named here, never called: a kubeconfig
    // pointing nowhere keeps the backend from looking for one of its own.
    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 'unused' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    // A project of the backend's, from the same Argo CD location: the action
    // must be refused by its rules without a copy of them.
    await commitToRepository({
      repoUrl: git.url,
      branch: 'main',
      message: 'Add the shop project',
      author: { name: 'test', email: 'test@example.com' },
      write: async checkout => {
        fs.mkdirSync(path.join(checkout, 'applications'), { recursive: true });
        fs.writeFileSync(
          path.join(checkout, 'applications/shop.yaml'),
          [
            'apiVersion: argoproj.io/v1alpha1',
            'kind: AppProject',
            'metadata: { name: shop }',
            'spec:',
            "  sourceRepos: ['https://git.example.com/shop/*']",
            "  destinations: [{ name: in-cluster, namespace: 'shop-*' }]",
            '',
          ].join('\n'),
        );
      },
    });
    const backend = await startTestBackend({
      features: [
        gitopsPlugin,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              allowHttpRepositories: true,
              cacheDir: path.join(dir, 'mirrors'),
              reconcile: { enabled: false },
              clusters: [{ name: 'in-cluster', kubeconfigPath: kubeconfig }],
              argocd: {
                git: [{ repoURL: git.url, path: 'applications' }],
                cacheSeconds: 0,
              },
            },
          },
        }),
      ],
    });
    try {
      const { port } = backend.server.address() as AddressInfo;
      const baseUrl = `http://localhost:${port}/api/gitops`;
      const api = createGitopsApiFactory({
        auth: mockServices.auth(),
        discovery: {
          getBaseUrl: async () => baseUrl,
          getExternalBaseUrl: async () => baseUrl,
        },
      });
      const workspacePath = path.join(dir, 'workspace');
      fs.mkdirSync(workspacePath);
      fs.writeFileSync(
        path.join(workspacePath, 'catalog-info.yaml'),
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: cart\nspec: {}\n',
      );
      const credentials = mockCredentials.user('user:default/alice');
      const ctx = actionContext({
        input: {
          definition: 'argocd',
          name: 'cart',
          repoUrl: git.url,
          path: 'guestbook',
          revision: 'main',
          destination: { namespace: 'cart' },
          syncPolicy: {
            automated: { prune: true, selfHeal: false, allowEmpty: false },
            syncOptions: ['CreateNamespace=true'],
            retry: { limit: 2, backoff: { duration: '5s', factor: 2 } },
          },
          gitLocation: { repoUrl: git.url, file: 'applications/cart.yaml' },
        },
        credentials,
        workspacePath,
      });
      await createApplicationAction({ api, settings: testSettings() }).handler(
        ctx,
      );

      const app = await awaitRegistration({
        api: api(credentials),
        name: 'cart',
        timeoutMs: 30_000,
        intervalMs: 500,
        logger: mockServices.logger.mock(),
      });
      expect(app).toMatchObject({
        name: 'cart',
        origin: 'argocd',
        project: 'default',
        entityRefs: ['component:default/cart'],
        source: { repoURL: git.url, path: 'guestbook', targetRevision: 'main' },
        destination: { cluster: 'in-cluster', namespace: 'cart' },
        syncPolicy: {
          automated: { prune: true, selfHeal: false, allowEmpty: false },
          syncOptions: ['CreateNamespace=true'],
          retry: { limit: 2, backoff: { duration: '5s', factor: 2 } },
        },
      });

      const refused = actionContext({
        input: {
          definition: 'argocd',
          name: 'cart-shop',
          project: 'shop',
          repoUrl: git.url,
          destination: { namespace: 'cart' },
        },
        credentials,
        workspacePath,
      });
      await expect(
        createApplicationAction({ api, settings: testSettings() }).handler(
          refused,
        ),
      ).rejects.toThrow(
        `Cannot create the application: repository ${git.url} is not permitted in project "shop"; destination cluster "in-cluster", namespace "cart" is not permitted in project "shop"`,
      );
      expect(
        fs.existsSync(path.join(workspacePath, 'argocd/cart-shop.yaml')),
      ).toBe(false);
    } finally {
      await backend.stop();
      await git.stop();
      fs.rmSync(dir, {
        recursive: true,
        force: true,
        maxRetries: 10,
        retryDelay: 200,
      });
    }
  });
});
