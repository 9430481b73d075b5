import { Manifest } from '../manifest';
import { isRecord } from './json';

/**
 * Written by `kubectl apply` (client-side): a full copy of the last applied
 * manifest, Secret data included. It is never drift, and is always masked.
 */
export const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';

/** The Deployment controller's rollout counter: the server's, not ours. */
export const DEPLOYMENT_REVISION_ANNOTATION =
  'deployment.kubernetes.io/revision';

// Metadata the API server writes on every object. None of it can be set from
// Git, so a difference in it is never drift. An object being deleted is not
// drift either: its health says so.
const SERVER_OWNED_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

const IGNORED_ANNOTATIONS = [
  LAST_APPLIED_ANNOTATION,
  DEPLOYMENT_REVISION_ANNOTATION,
];

/**
 * The object as it is compared: without `status` and the metadata the server
 * owns, and without annotations that never count as drift. Empty
 * `annotations` and `labels` maps are dropped, because the API server does not
 * distinguish them from absent ones. Returns a new object; what lies below
 * `metadata` (spec, data, labels) is shared with `obj`, not copied: copying
 * every object whole was the largest cost of a comparison, and nothing in
 * the diff changes a value it was given (each step that removes or masks a
 * value copies first).
 */
export function normalise(obj: Manifest): Manifest {
  const { status: _status, ...copy } = obj;
  if (!isRecord(copy.metadata)) {
    return copy as Manifest;
  }
  const metadata: Record<string, unknown> = { ...copy.metadata };
  for (const field of SERVER_OWNED_METADATA) {
    delete metadata[field];
  }
  if (isRecord(metadata.annotations)) {
    const annotations = { ...metadata.annotations };
    for (const key of IGNORED_ANNOTATIONS) {
      delete annotations[key];
    }
    metadata.annotations = annotations;
  }
  for (const field of ['annotations', 'labels'] as const) {
    const map = metadata[field];
    if (map === null || (isRecord(map) && Object.keys(map).length === 0)) {
      delete metadata[field];
    }
  }
  return { ...copy, metadata } as Manifest;
}
