import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isGitopsAvailable } from '@backstage-gitops/plugin-gitops-common';
import { GitopsClient, gitopsApiRef } from './api';

const gitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new GitopsClient(deps),
    }),
});

/** The GitOps tab on entities that carry the annotations. */
const gitopsEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'gitops',
    title: 'GitOps',
    filter: isGitopsAvailable,
    loader: () =>
      import('./components/GitopsEntityContent').then(m => (
        <m.GitopsEntityContent />
      )),
  },
});

/** A small card on the Overview tab of the same entities. */
const gitopsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isGitopsAvailable,
    loader: () =>
      import('./components/GitopsOverviewCard/GitopsOverviewCard').then(m => (
        <m.GitopsOverviewCard />
      )),
  },
});

/** Every application the user may see, at /gitops. */
const gitopsPage = PageBlueprint.make({
  params: {
    path: '/gitops',
    title: 'GitOps',
    loader: () =>
      import('./components/GitopsApplicationsPage/GitopsApplicationsPage').then(
        m => <m.GitopsApplicationsContent />,
      ),
  },
});

/**
 * The GitOps plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'gitops',
  info: { packageJson: () => import('../package.json') },
  extensions: [gitopsApi, gitopsEntityContent, gitopsEntityCard, gitopsPage],
});
