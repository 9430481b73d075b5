import { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import { Server } from 'http';
import { gitopsPlugin } from '../../plugin';

/**
 * The plugin in a real Backstage test backend, with applications from
 * app-config only (an empty in-memory catalog), the test cluster as `test`,
 * and the loop off so each test drives refreshes itself.
 */
export async function startGitopsBackend(
  options: {
    applications?: object[];
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    publicBadges?: boolean;
    /** Entities of the in-memory catalog. */
    entities?: Entity[];
    /** More features, e.g. the permission backend with a policy. */
    features?: BackendFeature[];
    /** Top-level config besides `gitops`, e.g. `permission.enabled`. */
    config?: object;
  } = {},
): Promise<{ server: Server; stop(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-routes-'));
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          gitops: {
            applications: options.applications ?? [],
            allowHttpRepositories: true,
            cacheDir: path.join(dir, 'mirrors'),
            reconcile: { enabled: false },
            ...(options.publicBadges ? { badges: { public: true } } : {}),
            clusters: process.env.GITOPS_TEST_KUBECONFIG
              ? [
                  {
                    name: 'test',
                    kubeconfigPath: process.env.GITOPS_TEST_KUBECONFIG,
                  },
                ]
              : [],
          },
        },
      }),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
    ],
  });
  return {
    server: backend.server,
    async stop() {
      await backend.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
