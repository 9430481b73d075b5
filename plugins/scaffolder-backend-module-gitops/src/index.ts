/**
 * Scaffolder actions for the GitOps reconciler: create, sync and wait for an
 * application, and push a skeleton into a Git repository.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGitops as default } from './module';
