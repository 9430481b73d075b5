import { checkRepoPath, checkRepoUrl } from './repoUrl';
import { checkSyncSettings } from './syncSettings';
import { ApplicationDefinition } from './types';
import { isApplicationName, isDns1123Label } from './kubernetesNames';

/**
 * Why an application definition cannot be used, or undefined when it can.
 * Every source of definitions (catalog, config, Argo CD YAML) goes through
 * this one check, so they accept and refuse the same things.
 *
 * @public
 */
export function checkApplicationDefinition(
  application: ApplicationDefinition,
  options: { allowHttp?: boolean } = {},
): string | undefined {
  const { name, source, destination } = application;
  if (!isApplicationName(name)) {
    return `application name "${name}" is not a valid Kubernetes name`;
  }
  if (!source.targetRevision.trim()) {
    return 'target revision must not be empty';
  }
  if (destination.namespace && !isDns1123Label(destination.namespace)) {
    return `destination namespace "${destination.namespace}" is not a valid Kubernetes name`;
  }
  return (
    checkRepoUrl(source.repoURL, options) ??
    checkRepoPath(source.path) ??
    checkSyncSettings(application)
  );
}

/** @public A repository path without `./`, trailing slashes or a lone `.`. */
export function normaliseRepoPath(raw: string): string {
  const trimmed = raw.trim().replace(/^(\.\/)+/, '');
  return trimmed === '.' ? '' : trimmed.replace(/\/+$/, '');
}
