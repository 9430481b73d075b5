import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The test runs the real peer; the module itself only speaks HTTP to it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import { AddressInfo } from 'node:net';
import { validateRequest } from '../actions/validateRequest';
import { createGitopsApiFactory } from './GitopsApiClient';

jest.setTimeout(60_000);

// The client against the real gitops backend plugin (its router, permissions
// and definition sources), so a change of the API's routes or payloads fails
// here and not first in a template run.
async function startGitops(
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'cart',
              annotations: {
                'gitops.backstage.io/repo-url': 'https://git.example.com/a.git',
                'gitops.backstage.io/destination-namespace': 'cart',
              },
            },
            spec: { type: 'service', owner: 'guests' },
          },
        ],
      }),
      mockServices.permissions.factory({ result: permission }),
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            reconcile: { enabled: false },
            applications: [
              {
                name: 'payments',
                entityRefs: ['component:default/pay'],
                source: { repoURL: 'https://git.example.com/pay.git' },
                destination: { namespace: 'pay' },
              },
            ],
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const api = createGitopsApiFactory({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async () => `http://localhost:${port}/api/gitops`,
      getExternalBaseUrl: async () => `http://localhost:${port}/api/gitops`,
    },
  })(mockCredentials.user('user:default/alice'));
  return { api, stop: () => backend.stop() };
}

describe('the gitops API client against the real backend plugin', () => {
  it('lists what the catalog and config define, and finds clashes there', async () => {
    const { api, stop } = await startGitops();
    try {
      expect((await api.listApplications()).map(a => a.name)).toEqual([
        'cart',
        'payments',
      ]);
      expect(await api.getApplication('cart')).toMatchObject({
        origin: 'catalog',
        entityRefs: ['component:default/cart'],
        destination: { cluster: 'in-cluster', namespace: 'cart' },
      });
      expect(await api.listOperations('cart', { limit: 1 })).toEqual([]);
      const request = {
        name: 'payments',
        repoUrl: 'https://git.example.com/new.git',
        path: '',
        revision: 'HEAD',
        destination: { cluster: 'in-cluster', namespace: 'new' },
        project: 'default',
        syncPolicy: {},
      };
      await expect(validateRequest(request, api)).rejects.toThrow(
        'Cannot create the application: an application named "payments" already exists (defined by component:default/pay); choose another name',
      );
      await expect(
        validateRequest({ ...request, name: 'new' }, api),
      ).resolves.toBeUndefined();
      // The backend's own rules: its clusters, its projects, its URL check.
      await expect(
        validateRequest(
          {
            ...request,
            name: 'new',
            repoUrl: 'ext::sh -c touch% /tmp/x',
            destination: { cluster: 'prod', namespace: 'new' },
            project: 'nope',
          },
          api,
        ),
      ).rejects.toThrow(
        'Cannot create the application: repository URL must not use a git remote helper (such as ext:: or file::); destination cluster "prod" is not declared (known clusters: in-cluster); project "nope" does not exist',
      );
    } finally {
      await stop();
    }
  });

  it("carries the user's permissions: a denied user is refused", async () => {
    const { api, stop } = await startGitops(AuthorizeResult.DENY);
    try {
      await expect(api.listApplications()).rejects.toThrow(
        'You may not read GitOps applications',
      );
      await expect(
        api.sync('cart', { prune: false, dryRun: false }),
      ).rejects.toThrow('You may not sync GitOps applications');
      await expect(
        api.validateApplication({
          name: 'new',
          source: {
            repoURL: 'https://git.example.com/new.git',
            path: '',
            targetRevision: 'HEAD',
          },
          destination: { cluster: 'in-cluster' },
        }),
      ).rejects.toThrow('You may not read GitOps applications');
    } finally {
      await stop();
    }
  });
});
