import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  DEFAULT_CLUSTER_NAME,
  DEFAULT_TARGET_REVISION,
  GITOPS_APPLICATION_NAME_ANNOTATION,
  GITOPS_DESTINATION_CLUSTER_ANNOTATION,
  GITOPS_DESTINATION_NAMESPACE_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_URL_ANNOTATION,
  GITOPS_TARGET_REVISION_ANNOTATION,
} from './annotations';
import { syncSettingsOf } from './entitySyncSettings';
import {
  checkApplicationDefinition,
  normaliseRepoPath,
} from './applicationDefinition';
import { ApplicationDefinition } from './types';

/**
 * True when the entity is linked to GitOps applications, either by describing
 * one with the gitops annotations or by naming Argo CD applications.
 *
 * @public
 */
export function isGitopsAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[GITOPS_REPO_URL_ANNOTATION]?.trim() ||
      annotations[ARGOCD_APP_NAME_ANNOTATION]?.trim(),
  );
}

/** @public Names of the Argo CD applications an entity links to. */
export function linkedArgoApplicationNames(entity: Entity): string[] {
  const value = entity.metadata.annotations?.[ARGOCD_APP_NAME_ANNOTATION] ?? '';
  return value
    .split(',')
    .map(name => name.trim())
    .filter(Boolean);
}

/** @public The outcome of reading an application from an entity. */
export type EntityApplicationResult =
  | { kind: 'none' }
  | { kind: 'application'; application: ApplicationDefinition }
  | { kind: 'problem'; message: string };

/**
 * Reads the application an entity describes with the gitops annotations.
 * Malformed annotations give a problem in words, never a guessed application.
 *
 * @public
 */
export function applicationFromEntity(
  entity: Entity,
  options: { allowHttp?: boolean } = {},
): EntityApplicationResult {
  const annotations = entity.metadata.annotations ?? {};
  const repoURL = annotations[GITOPS_REPO_URL_ANNOTATION]?.trim();
  if (!repoURL) return { kind: 'none' };

  const name =
    annotations[GITOPS_APPLICATION_NAME_ANNOTATION]?.trim() ||
    entity.metadata.name.toLowerCase();
  const path = normaliseRepoPath(annotations[GITOPS_PATH_ANNOTATION] ?? '');
  const namespace =
    annotations[GITOPS_DESTINATION_NAMESPACE_ANNOTATION]?.trim() || undefined;

  const application: ApplicationDefinition = {
    name,
    origin: 'catalog',
    entityRefs: [stringifyEntityRef(entity)],
    source: {
      repoURL,
      path,
      targetRevision:
        annotations[GITOPS_TARGET_REVISION_ANNOTATION]?.trim() ||
        DEFAULT_TARGET_REVISION,
    },
    destination: {
      cluster:
        annotations[GITOPS_DESTINATION_CLUSTER_ANNOTATION]?.trim() ||
        DEFAULT_CLUSTER_NAME,
      namespace,
    },
  };
  const settings = syncSettingsOf(annotations);
  if (typeof settings === 'string')
    return { kind: 'problem', message: settings };
  Object.assign(application, settings);
  const problem = checkApplicationDefinition(application, options);
  return problem
    ? { kind: 'problem', message: problem }
    : { kind: 'application', application };
}
