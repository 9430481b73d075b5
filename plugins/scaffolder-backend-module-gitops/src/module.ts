import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createApplicationAction } from './actions/createApplicationAction';
import { pushRepositoryAction } from './actions/pushRepositoryAction';
import { readActionSettings } from './actions/settings';
import { syncApplicationAction } from './actions/syncApplicationAction';
import { waitApplicationAction } from './actions/waitApplicationAction';
import { createGitopsApiFactory } from './client/GitopsApiClient';
import { registerGitopsActions } from './registry/registerGitopsActions';

/**
 * Scaffolder actions that onboard a service to the GitOps reconciler, also
 * offered in Backstage's actions registry.
 *
 * @public
 */
export const scaffolderModuleGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        actionsRegistry: actionsRegistryServiceRef,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, actionsRegistry, config, auth, discovery }) {
        const settings = readActionSettings(config);
        const api = createGitopsApiFactory({ auth, discovery });
        scaffolder.addActions(
          createApplicationAction({ api, settings }),
          syncApplicationAction({ api }),
          waitApplicationAction({ api }),
          pushRepositoryAction({ settings }),
        );
        registerGitopsActions(actionsRegistry, { api, settings });
      },
    });
  },
});
