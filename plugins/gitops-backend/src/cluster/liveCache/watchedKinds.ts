import { ApiResource } from '../discovery';

/**
 * Kinds not watched unless an application's desired state has them: they
 * change all the time, are made by controllers, and never carry a tracking
 * id unless Git put them there. Argo CD excludes the same ones by default.
 */
const EXCLUDED = new Set([
  '/Event',
  'events.k8s.io/Event',
  'coordination.k8s.io/Lease',
  '/Endpoints',
  'discovery.k8s.io/EndpointSlice',
]);

export function groupKindOf(
  resource: Pick<ApiResource, 'apiVersion' | 'kind'>,
) {
  const slash = resource.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : resource.apiVersion.slice(0, slash);
  return `${group}/${resource.kind}`;
}

/** Whether a kind is worth watching (and listing for prune) for its own sake. */
export function isWatchedByDefault(resource: ApiResource): boolean {
  return (
    resource.verbs.includes('list') &&
    resource.verbs.includes('watch') &&
    !EXCLUDED.has(groupKindOf(resource))
  );
}

/** Kinds whose changes change what the cluster serves. */
export function changesDiscovery(kind: string, apiVersion: string): boolean {
  return (
    (kind === 'CustomResourceDefinition' &&
      apiVersion.startsWith('apiextensions.k8s.io/')) ||
    (kind === 'APIService' && apiVersion.startsWith('apiregistration.k8s.io/'))
  );
}

/**
 * Kinds whose changes can change what a server-side dry run returns for an
 * unchanged manifest: a CRD's schema (defaults, pruned fields), an
 * aggregated API, a mutating webhook or admission policy.
 */
export function changesDryRuns(kind: string, apiVersion: string): boolean {
  return (
    changesDiscovery(kind, apiVersion) ||
    (apiVersion.startsWith('admissionregistration.k8s.io/') &&
      (kind === 'MutatingWebhookConfiguration' ||
        kind === 'MutatingAdmissionPolicy' ||
        kind === 'MutatingAdmissionPolicyBinding'))
  );
}
