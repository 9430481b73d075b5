import { TRACKING_ID_ANNOTATION } from '@backstage-gitops/plugin-gitops-common';
import { Manifest, annotation, groupOf } from './manifest';

// Argo CD's default tracking method since 3.0. An annotation, unlike the
// older `app.kubernetes.io/instance` label, is not copied into selectors and
// survives tools that rewrite labels.

export type TrackingId = {
  appName: string;
  /** Empty for the core group. */
  group: string;
  kind: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
};

/** `guestbook:apps/Deployment:default/web`; core group and cluster scope are empty. */
export function formatTrackingId(id: TrackingId): string {
  return `${id.appName}:${id.group}/${id.kind}:${id.namespace}/${id.name}`;
}

// Neither Kubernetes names nor application names may contain ':' or '/', so
// the separators are unambiguous; anything else is not one of our ids.
const TRACKING_ID_PATTERN = /^([^:/]+):([^:/]*)\/([^:/]+):([^:/]*)\/([^:/]+)$/;

export function parseTrackingId(text: string): TrackingId | undefined {
  const match = TRACKING_ID_PATTERN.exec(text);
  if (!match) {
    return undefined;
  }
  const [, appName, group, kind, namespace, name] = match;
  return { appName, group, kind, namespace, name };
}

/** The id an application stamps on an object it applies. */
export function trackingIdFor(appName: string, obj: Manifest): string {
  return formatTrackingId({
    appName,
    group: groupOf(obj),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
  });
}

/**
 * Whether the application owns this live object. The id must also describe the
 * object itself: a copy of a tracked object (say a Secret cloned by an
 * operator) keeps the annotation but is not ours, and pruning it would delete
 * something we never created.
 */
export function isTrackedBy(obj: Manifest, appName: string): boolean {
  const text = annotation(obj, TRACKING_ID_ANNOTATION);
  return text !== undefined && text === trackingIdFor(appName, obj);
}

/** The object as applied: carrying the id that makes it ours. */
export function stamp(obj: Manifest, appName: string): Manifest {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: {
        ...obj.metadata.annotations,
        [TRACKING_ID_ANNOTATION]: trackingIdFor(appName, obj),
      },
    },
  };
}
