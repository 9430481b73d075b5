import {
  ApplicationRetryPolicy,
  GITOPS_ENTITY_REFS_ANNOTATION,
  normaliseRepoPath,
} from '@backstage-gitops/plugin-gitops-common';
import { stringify } from 'yaml';
import { ApplicationRequest } from './applicationRequest';

/** The Argo CD namespace Applications live in unless told otherwise. */
export const DEFAULT_ARGOCD_NAMESPACE = 'argocd';

/** An `argoproj.io/v1alpha1` Application, as Argo CD reads it. */
export type ArgoApplication = {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: {
    name: string;
    namespace: string;
    annotations?: Record<string, string>;
  };
  spec: {
    project: string;
    source: { repoURL: string; targetRevision: string; path: string };
    destination: { name: string; namespace: string };
    syncPolicy?: {
      automated?: { prune: boolean; selfHeal: boolean; allowEmpty: boolean };
      syncOptions?: string[];
      retry?: ApplicationRetryPolicy;
    };
  };
};

/**
 * The Argo CD Application for a request. The destination is named (`name:`),
 * not addressed (`server:`): clusters are declared by name in config, as
 * Argo CD's cluster secrets name them; `in-cluster` is Argo CD's own name for
 * the cluster it runs in.
 */
export function argoApplication(
  request: ApplicationRequest,
  options: { namespace?: string; entityRef?: string } = {},
): ArgoApplication {
  const { automated, syncOptions, retry } = request.syncPolicy;
  const syncPolicy = {
    ...(automated ? { automated } : {}),
    ...(syncOptions?.length ? { syncOptions } : {}),
    ...(retry ? { retry } : {}),
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: request.name,
      namespace: options.namespace ?? DEFAULT_ARGOCD_NAMESPACE,
      ...(options.entityRef
        ? {
            annotations: {
              [GITOPS_ENTITY_REFS_ANNOTATION]: options.entityRef,
            },
          }
        : {}),
    },
    spec: {
      project: request.project,
      source: {
        repoURL: request.repoUrl,
        targetRevision: request.revision,
        // Argo CD uses "." for the repository root.
        path: normaliseRepoPath(request.path) || '.',
      },
      destination: {
        name: request.destination.cluster,
        namespace: request.destination.namespace,
      },
      ...(Object.keys(syncPolicy).length ? { syncPolicy } : {}),
    },
  };
}

/** The Application as a YAML document, ready to commit. */
export function argoApplicationYaml(application: ArgoApplication): string {
  return stringify(application, { lineWidth: 0 });
}
