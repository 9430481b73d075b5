import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { GitopsClient, gitopsApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The GitOps plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const gitopsPlugin = createPlugin({
  id: 'gitops',
  routes: { root: rootRouteRef },
  apis: [
    createApiFactory({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new GitopsClient(deps),
    }),
  ],
});

/**
 * The content of an entity's GitOps tab, for `EntityLayout.Route`. Show it
 * where {@link isGitopsAvailable} is true.
 *
 * @public
 */
export const EntityGitopsContent = gitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitopsContent',
    component: {
      lazy: () =>
        import('./components/GitopsEntityContent').then(
          m => m.GitopsEntityContent,
        ),
    },
  }),
);

/**
 * A small card for the entity's Overview tab: each application's sync and
 * health.
 *
 * @public
 */
export const EntityGitopsOverviewCard = gitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitopsOverviewCard',
    component: {
      lazy: () =>
        import('./components/GitopsOverviewCard/GitopsOverviewCard').then(
          m => m.GitopsOverviewCard,
        ),
    },
  }),
);

/**
 * A page listing every application the user may see, with filters.
 *
 * @public
 */
export const GitopsApplicationsPage = gitopsPlugin.provide(
  createRoutableExtension({
    name: 'GitopsApplicationsPage',
    mountPoint: rootRouteRef,
    component: () =>
      import('./components/GitopsApplicationsPage/GitopsApplicationsPage').then(
        m => m.GitopsApplicationsPage,
      ),
  }),
);
