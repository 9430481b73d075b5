import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  GITOPS_APPLICATION_NAME_ANNOTATION,
  GITOPS_AUTO_SYNC_ANNOTATION,
  GITOPS_AUTO_SYNC_PRUNE_ANNOTATION,
  GITOPS_DESTINATION_CLUSTER_ANNOTATION,
  GITOPS_DESTINATION_NAMESPACE_ANNOTATION,
  GITOPS_PATH_ANNOTATION,
  GITOPS_REPO_URL_ANNOTATION,
  GITOPS_SELF_HEAL_ANNOTATION,
  GITOPS_SYNC_OPTIONS_ANNOTATION,
  GITOPS_SYNC_RETRY_ANNOTATION,
  GITOPS_TARGET_REVISION_ANNOTATION,
  ApplicationRetryPolicy,
  normaliseRepoPath,
} from '@backstage-gitops/plugin-gitops-common';
import { Document, isMap, parseAllDocuments } from 'yaml';
import { ApplicationRequest } from './applicationRequest';

/**
 * The annotations that describe the application on its catalog entity, the
 * way the reconciler reads them. Annotations cannot say everything an Argo CD
 * Application can: a project other than `default` and `allowEmpty` are
 * refused here rather than silently dropped.
 */
export function gitopsAnnotations(
  request: ApplicationRequest,
  entityName: string,
): Record<string, string> {
  if (request.project !== 'default') {
    throw new InputError(
      `Catalog annotations cannot place an application in project "${request.project}"; write an Argo CD Application instead (definition: argocd)`,
    );
  }
  const { automated, syncOptions, retry } = request.syncPolicy;
  if (automated?.allowEmpty) {
    throw new InputError(
      'Catalog annotations cannot carry automated.allowEmpty; write an Argo CD Application instead (definition: argocd)',
    );
  }
  return {
    [GITOPS_REPO_URL_ANNOTATION]: request.repoUrl,
    [GITOPS_PATH_ANNOTATION]: normaliseRepoPath(request.path),
    [GITOPS_TARGET_REVISION_ANNOTATION]: request.revision,
    [GITOPS_DESTINATION_CLUSTER_ANNOTATION]: request.destination.cluster,
    [GITOPS_DESTINATION_NAMESPACE_ANNOTATION]: request.destination.namespace,
    // The application takes the entity's name unless told otherwise.
    ...(request.name === entityName.toLowerCase()
      ? {}
      : { [GITOPS_APPLICATION_NAME_ANNOTATION]: request.name }),
    ...(automated
      ? {
          [GITOPS_AUTO_SYNC_ANNOTATION]: 'true',
          [GITOPS_AUTO_SYNC_PRUNE_ANNOTATION]: `${automated.prune}`,
          [GITOPS_SELF_HEAL_ANNOTATION]: `${automated.selfHeal}`,
        }
      : {}),
    ...(syncOptions?.length
      ? { [GITOPS_SYNC_OPTIONS_ANNOTATION]: syncOptions.join(', ') }
      : {}),
    ...(retry ? { [GITOPS_SYNC_RETRY_ANNOTATION]: retryText(retry) } : {}),
  };
}

/** `limit=5, duration=5s, factor=2, maxDuration=3m`, as the annotation reads. */
function retryText(retry: ApplicationRetryPolicy): string {
  const { duration, factor, maxDuration } = retry.backoff ?? {};
  return Object.entries({ limit: retry.limit, duration, factor, maxDuration })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** The annotation that links an entity to an Argo CD Application by name. */
export function argoLinkAnnotations(name: string): Record<string, string> {
  return { [ARGOCD_APP_NAME_ANNOTATION]: name };
}

/**
 * Sets annotations on the entity of a catalog-info.yaml and returns the new
 * text with the entity's ref. Comments and the other documents of the file are
 * kept. With several entities in the file, `entityName` picks one; otherwise
 * the file must describe exactly one Component.
 */
export function annotateCatalogInfo(
  text: string,
  annotationsFor: (entityName: string) => Record<string, string>,
  options: { entityName?: string } = {},
): { text: string; entityRef: string; entityName: string } {
  const documents = parseAllDocuments(text);
  const broken = documents.find(d => d.errors.length > 0);
  if (broken) {
    throw new InputError(
      `catalog-info.yaml is not valid YAML: ${broken.errors[0].message}`,
    );
  }
  const target = pickEntity(documents as Document[], options.entityName);
  const kind = String(target.get('kind'));
  const name = String(target.getIn(['metadata', 'name']));
  const namespace = target.getIn(['metadata', 'namespace']);
  for (const [key, value] of Object.entries(annotationsFor(name))) {
    target.setIn(['metadata', 'annotations', key], value);
  }
  return {
    text: documents.map(d => d.toString({ lineWidth: 0 })).join(''),
    entityName: name,
    entityRef: stringifyEntityRef({
      kind,
      name,
      namespace: typeof namespace === 'string' ? namespace : undefined,
    }),
  };
}

function pickEntity(documents: Document[], entityName?: string): Document {
  const entities = documents.filter(
    d =>
      isMap(d.contents) &&
      typeof d.get('kind') === 'string' &&
      typeof d.getIn(['metadata', 'name']) === 'string',
  );
  const matches = entityName
    ? entities.filter(d => d.getIn(['metadata', 'name']) === entityName)
    : entities.filter(d => d.get('kind') === 'Component');
  if (matches.length !== 1) {
    throw new InputError(
      entityName
        ? `catalog-info.yaml has ${matches.length} entities named "${entityName}"; expected one`
        : `catalog-info.yaml has ${matches.length} Components; name the entity to annotate (entityName)`,
    );
  }
  return matches[0];
}
