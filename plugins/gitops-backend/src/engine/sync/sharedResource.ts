import { TRACKING_ID_ANNOTATION } from '@backstage-gitops/plugin-gitops-common';
import { Manifest, annotation, describeObject, resourceKey } from '../manifest';
import { parseTrackingId } from '../tracking';

/**
 * The other application that tracks the live object, if any: a shared
 * resource, which `FailOnSharedResource=true` refuses to take over (Argo CD
 * otherwise takes it, with a warning).
 */
export function sharedWith(
  live: Manifest | undefined,
  appName: string,
): string | undefined {
  if (!live) return undefined;
  const id = annotation(live, TRACKING_ID_ANNOTATION);
  const owner = id && parseTrackingId(id)?.appName;
  return owner && owner !== appName ? owner : undefined;
}

/**
 * The `SharedResourceWarning` of an object two applications want, worded
 * as Argo CD words it; the same text on both sides, so it is shown once.
 */
export function sharedResourceWarning(
  obj: { kind: string; namespace?: string; name: string },
  appName: string,
  other: string,
): string {
  const where = obj.namespace
    ? `${obj.kind}/${obj.namespace}/${obj.name}`
    : `${obj.kind}/${obj.name}`;
  return `${where} is part of applications ${appName} and ${other}`;
}

/** Why the sync must fail for a shared resource, or undefined. */
export function sharedResourceError(
  obj: Manifest,
  liveByKey: ReadonlyMap<string, Manifest>,
  appName: string,
): string | undefined {
  const owner = sharedWith(liveByKey.get(resourceKey(obj)), appName);
  return owner
    ? `${describeObject(
        obj,
      )} is already managed by application ${owner} (FailOnSharedResource=true)`
    : undefined;
}

/**
 * Why a hook cannot run: the object of its name belongs to another
 * application. Deleting it would break that application's run; applying
 * over it and following it would report that run as ours, a Succeeded sync
 * that ran nothing.
 */
export function sharedHookMessage(hook: string, owner: string): string {
  return (
    `${hook}: the live object belongs to application ${owner}, so this hook ` +
    `was not run: a hook never deletes, rewrites or follows another ` +
    `application's object; give the hook a name of its own ` +
    `(metadata.generateName, or another metadata.name)`
  );
}
