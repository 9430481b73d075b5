import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { gitopsPermissions } from '@internal/backstage-plugin-gitops-common';
import { createApplicationService } from './applications/ApplicationService';
import { ApplicationStatusStore } from './database/ApplicationStatusStore';
import { readGitopsConfig } from './readGitopsConfig';
import { OperationStore } from './database/OperationStore';
import { createClusterClients, readClusters } from './reconciler/clusters';
import { startAutoSync } from './reconciler/autoSync';
import { SyncService, createSyncService } from './reconciler/SyncService';
import { createReconciler } from './reconciler/Reconciler';
import {
  createGitMirrors,
  createIntegrationCredentials,
  createRepositoryService,
} from './repository';
import { createRouter } from './router';
import { createAccess } from './router/access';
import { createApplicationRoutes } from './router/applicationRoutes';
import { ResourceStore } from './database/ResourceStore';

/**
 * The GitOps reconciler, as a Backstage backend plugin.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        database: coreServices.database,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
      },
      async init(deps) {
        const settings = readGitopsConfig(deps.config);
        deps.permissionsRegistry.addPermissions(gitopsPermissions);
        const statuses = await ApplicationStatusStore.create(deps);
        const resources = await ResourceStore.create(deps);
        const applications = createApplicationService({ ...deps, statuses });
        const mirrors = createGitMirrors({
          cacheDir: settings.cacheDir,
          timeoutMs: settings.reconcile.gitTimeoutMs,
          allowHttp: settings.allowHttpRepositories,
          credentials: createIntegrationCredentials(deps.config),
          logger: deps.logger,
        });
        const operations = await OperationStore.create(deps);
        await operations.failAbandoned();
        const repository = createRepositoryService({
          mirrors,
          tools: settings.tools,
          readLimits: withoutUnset(settings.readLimits),
          logger: deps.logger,
        });
        const clientFor = createClusterClients(readClusters(deps.config));
        // A refresh may start an automated sync, and a sync ends with a
        // refresh: the two services are tied together once both exist.
        const late: { syncs?: SyncService } = {};
        const reconciler = createReconciler({
          ...deps,
          ...settings.reconcile,
          applications,
          statuses,
          resources,
          operations,
          repository,
          clientFor,
          afterRefresh: async (app, status) => {
            if (late.syncs) {
              await startAutoSync({
                app,
                status,
                statuses,
                operations,
                syncs: late.syncs,
                logger: deps.logger,
              });
            }
          },
        });
        const syncs = createSyncService({
          ...deps,
          operations,
          repository,
          clientFor,
          reconciler,
        });
        late.syncs = syncs;
        if (settings.reconcile.enabled) await reconciler.start();
        deps.httpRouter.use(
          await createRouter({
            ...deps,
            applications,
            reconciler,
            syncs,
            operations,
          }),
        );
        deps.httpRouter.use(
          createApplicationRoutes({
            access: createAccess({ ...deps, applications }),
            auth: deps.auth,
            statuses,
            resources,
            operations,
            syncs,
            publicBadges: settings.publicBadges,
          }),
        );
        if (settings.publicBadges) {
          deps.httpRouter.addAuthPolicy({
            path: '/applications/:name/badge',
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});

// Unset limits keep the repository service's defaults.
function withoutUnset<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
