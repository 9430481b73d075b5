import {
  Manifest,
  deletePolicies,
  groupOf,
  hookTypes,
  resourceHealth,
  resourceKey,
  syncOptions,
} from '../engine';

// What Argo CD's controller does for an Application being deleted
// (appcontroller.go, finalizeApplicationDeletion), as pure decisions: the
// caller reads the cluster, asks for the next step, does it, and asks again.

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
export const RESOURCES_FINALIZER_FOREGROUND = `${RESOURCES_FINALIZER}/foreground`;
export const RESOURCES_FINALIZER_BACKGROUND = `${RESOURCES_FINALIZER}/background`;
export const POST_DELETE_FINALIZER = 'post-delete-finalizer.argocd.argoproj.io';

const RESOURCES_FINALIZERS = [
  RESOURCES_FINALIZER,
  RESOURCES_FINALIZER_FOREGROUND,
  RESOURCES_FINALIZER_BACKGROUND,
];
const OURS = [...RESOURCES_FINALIZERS, POST_DELETE_FINALIZER];

export type FinalizerStep =
  /** Nothing of ours is left: Kubernetes deletes the object (or others' finalizers hold it). */
  | { action: 'none' }
  | { action: 'wait'; reason: string }
  | {
      action: 'delete';
      objects: Manifest[];
      propagationPolicy: 'Foreground' | 'Background';
    }
  | { action: 'createHooks'; hooks: Manifest[] }
  | {
      action: 'removeFinalizers';
      remove: string[];
      /** Deleted just before (hooks whose delete policy says so). */
      deleteFirst?: Manifest[];
    };

/** Whether Argo CD's controller, and so this backend, acts on the finalizers. */
export function hasOurFinalizers(finalizers: readonly string[]): boolean {
  return finalizers.some(f => OURS.includes(f));
}

function isPostDeleteHook(obj: Manifest): boolean {
  const types = hookTypes(obj);
  return Array.isArray(types) && types.includes('PostDelete');
}

// Argo CD's shouldBeDeleted: CRDs (their deletion takes every custom
// resource of the kind with it), `Delete=false`, Helm's `keep` and
// PostDelete hooks stay.
function isDeletable(obj: Manifest): boolean {
  if (
    groupOf(obj) === 'apiextensions.k8s.io' &&
    obj.kind === 'CustomResourceDefinition'
  ) {
    return false;
  }
  if (syncOptions(obj, []).delete !== true) return false;
  if (obj.metadata.annotations?.['helm.sh/resource-policy'] === 'keep') {
    return false;
  }
  return !isPostDeleteHook(obj);
}

const isDeleting = (obj: Manifest) =>
  (obj.metadata as { deletionTimestamp?: unknown }).deletionTimestamp !==
  undefined;

/**
 * The next step in deleting an Application with these finalizers.
 * `live` is every object the application tracks, hooks included;
 * `postDeleteHooks` the PostDelete hooks its source renders, placed and
 * stamped (needed only when `needsPostDeleteHooks` says so).
 */
export function nextFinalizerStep(input: {
  finalizers: readonly string[];
  live: Manifest[];
  postDeleteHooks?: Manifest[];
}): FinalizerStep {
  const { finalizers, live } = input;
  const cascade = finalizers.filter(f => RESOURCES_FINALIZERS.includes(f));
  if (cascade.length > 0) {
    const deletable = live.filter(isDeletable);
    const pending = deletable.filter(isDeleting);
    if (pending.length > 0) {
      return {
        action: 'wait',
        reason: `${pending.length} resources are being deleted`,
      };
    }
    if (deletable.length > 0) {
      return {
        action: 'delete',
        objects: deletable,
        propagationPolicy: finalizers.includes(RESOURCES_FINALIZER_BACKGROUND)
          ? 'Background'
          : 'Foreground',
      };
    }
    return { action: 'removeFinalizers', remove: cascade };
  }
  const hooks = live.filter(isPostDeleteHook);
  if (finalizers.includes(POST_DELETE_FINALIZER)) {
    return postDeleteStep(hooks, input.postDeleteHooks);
  }
  return { action: 'none' };
}

// Hooks are created once and waited for. A failed hook keeps the
// Application, as in Argo CD: the user sees why, and decides. Once all are
// Healthy, those whose delete policy says so are deleted in the same step as
// the finalizer is removed: a later pass would find them missing and run
// them again. (Argo CD swaps in a `/cleanup` finalizer for this, but
// Kubernetes refuses a finalizer added to an object being deleted, so that
// one must have been put there before; we need none.)
function postDeleteStep(
  running: Manifest[],
  expected: Manifest[] = [],
): FinalizerStep {
  const runningKeys = new Set(running.map(resourceKey));
  const missing = expected.filter(hook => !runningKeys.has(resourceKey(hook)));
  if (missing.length > 0) return { action: 'createHooks', hooks: missing };
  const states = running.map(hook => ({
    hook,
    health: resourceHealth(hook)?.status ?? 'Healthy',
  }));
  const failed = states.find(s => s.health === 'Degraded');
  if (failed) {
    return {
      action: 'wait',
      reason: `PostDelete hook ${failed.hook.kind}/${failed.hook.metadata.name} failed`,
    };
  }
  if (states.some(s => s.health !== 'Healthy')) {
    return { action: 'wait', reason: 'PostDelete hooks are running' };
  }
  const succeeded = running.filter(hook => {
    const policies = deletePolicies(hook);
    return Array.isArray(policies) && policies.includes('HookSucceeded');
  });
  return {
    action: 'removeFinalizers',
    remove: [POST_DELETE_FINALIZER],
    ...(succeeded.length ? { deleteFirst: succeeded } : {}),
  };
}

/** Whether the next step may create PostDelete hooks, so they must be rendered. */
export function needsPostDeleteHooks(finalizers: readonly string[]): boolean {
  return (
    finalizers.includes(POST_DELETE_FINALIZER) &&
    !finalizers.some(f => RESOURCES_FINALIZERS.includes(f))
  );
}

const MAX_NAME_LENGTH = 253;

/**
 * A `generateName` hook gets a fixed name instead: it runs once per
 * deletion, and a fixed name is how the next pass finds it running.
 */
export function namePostDeleteHook(hook: Manifest): Manifest {
  const prefix = hook.metadata.generateName;
  if (hook.metadata.name || !prefix) return hook;
  const { generateName: _unused, ...metadata } = hook.metadata;
  return {
    ...hook,
    metadata: {
      ...metadata,
      name: `${prefix}post-delete`.slice(0, MAX_NAME_LENGTH),
    },
  };
}
