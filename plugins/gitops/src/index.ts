/**
 * The GitOps frontend plugin: entity tabs for applications reconciled from Git.
 * The legacy frontend system uses these exports; the new one imports `/alpha`.
 *
 * @packageDocumentation
 */
export {
  gitopsPlugin,
  EntityGitopsContent,
  EntityGitopsOverviewCard,
  GitopsApplicationsPage,
} from './plugin';
export { gitopsApiRef, GitopsClient } from './api';
export type { GitopsApi } from './api';
export { isGitopsAvailable } from '@backstage-gitops/plugin-gitops-common';
