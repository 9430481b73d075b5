import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { gitopsPermissions } from '@internal/backstage-plugin-gitops-common';
import { createApplicationService } from './applications/ApplicationService';
import { ApplicationStatusStore } from './database/ApplicationStatusStore';
import { createRouter } from './router';

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
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(gitopsPermissions);
        const statuses = await ApplicationStatusStore.create(deps);
        const applications = createApplicationService({ ...deps, statuses });
        deps.httpRouter.use(await createRouter({ ...deps, applications }));
      },
    });
  },
});
