import { ResourceHealth, resourceHealth } from '../health';
import { Manifest, resourceKey } from '../manifest';
import { deleteHookAction, describeTask } from './actions';
import { sharedHookMessage, sharedWith } from './sharedResource';
import {
  ActionResult,
  HookPhase,
  Observation,
  SyncAction,
  SyncOperationState,
  SyncTask,
} from './types';

/**
 * A hook's phase from the health of its object, as gitops-engine reads it:
 * a finished Job or Pod is Healthy (Succeeded) or Degraded (Failed); a hook
 * of a kind without health (a ConfigMap) succeeds once created.
 */
export function hookPhaseOf(health: ResourceHealth | undefined): HookPhase {
  switch (health?.status) {
    case undefined:
    case 'Healthy':
      return 'Succeeded';
    case 'Degraded':
    case 'Unknown':
      return 'Failed';
    default:
      return 'Running';
  }
}

/**
 * Observations for every task of the operation from the live objects the
 * caller fetched: an object not among them is reported gone.
 */
export function observeResources(
  state: SyncOperationState,
  live: readonly Manifest[],
): Record<string, Observation> {
  const byKey = new Map(live.map(obj => [resourceKey(obj), obj]));
  const observed: Record<string, Observation> = {};
  for (const { key } of state.tasks) {
    const obj = byKey.get(key);
    const owner = sharedWith(obj, state.appName);
    observed[key] = obj
      ? {
          present: true,
          health: resourceHealth(obj),
          ...(owner ? { sharedWith: owner } : {}),
        }
      : { present: false };
  }
  return observed;
}

/** A hook that must not go on: its object is another application's. */
export function refusedHook(
  task: SyncTask,
  owner: string,
  now: Date,
): SyncTask {
  return {
    ...finished(task, now, true),
    status: 'SyncFailed',
    hookPhase: 'Failed',
    message: sharedHookMessage(describeTask(task), owner),
  };
}

function finished(task: SyncTask, now: Date, failed: boolean): SyncTask {
  return {
    ...task,
    progress: failed ? 'failed' : 'done',
    finishedAt: now.toISOString(),
  };
}

function applyResult(
  task: SyncTask,
  result: ActionResult,
  now: Date,
): SyncTask {
  const name = describeTask(task);
  const why = result.message ?? 'no reason given';
  const settleNow = (t: SyncTask) =>
    t.waitUntilSettled
      ? { ...t, progress: 'running' as const }
      : finished(t, now, false);
  switch (`${result.type}:${task.progress}`) {
    case 'apply:validating':
      return result.ok
        ? { ...task, progress: 'pending', message: result.message ?? 'valid' }
        : {
            ...finished(task, now, true),
            status: 'SyncFailed',
            message: `${name}: dry run failed: ${why}`,
          };
    case 'apply:applying':
      if (!result.ok) {
        return {
          ...finished(task, now, true),
          status: 'SyncFailed',
          ...(task.isHook ? { hookPhase: 'Failed' } : {}),
          message: `${name}: apply failed: ${why}`,
        };
      }
      if (task.isHook) {
        return {
          ...task,
          status: 'Synced',
          hookPhase: 'Running',
          progress: 'running',
          message: result.message ?? 'created',
        };
      }
      return settleNow({
        ...task,
        status: 'Synced',
        message: result.message ?? 'applied',
      });
    case 'delete:deleting':
      return result.ok
        ? settleNow({
            ...task,
            status: 'Pruned',
            message: result.message ?? 'pruned',
          })
        : {
            ...finished(task, now, true),
            status: 'SyncFailed',
            message: `${name}: prune failed: ${why}`,
          };
    case 'delete-hook:deleting-previous':
      return result.ok
        ? {
            ...task,
            progress: 'awaiting-deletion',
            message: 'waiting for the previous run to be deleted',
          }
        : {
            ...finished(task, now, true),
            status: 'SyncFailed',
            hookPhase: 'Error',
            message: `${name}: could not delete the previous run: ${why}`,
          };
    default:
      // Cleanup after a hook finished, or a stale result: only a failure is
      // worth keeping, and it must not change how the hook ended.
      return result.type === 'delete-hook' && !result.ok
        ? { ...task, message: `${task.message}; delete failed: ${why}` }
        : task;
  }
}

/** Records the results of the actions the previous step returned. */
export function applyResults(
  tasks: SyncTask[],
  results: readonly ActionResult[],
  now: Date,
): SyncTask[] {
  const byTask = new Map<string, ActionResult[]>();
  for (const result of results) {
    byTask.set(result.taskId, [...(byTask.get(result.taskId) ?? []), result]);
  }
  return tasks.map(task =>
    (byTask.get(task.id) ?? []).reduce(
      (current, result) => applyResult(current, result, now),
      task,
    ),
  );
}

function settleHook(
  task: SyncTask,
  observed: Observation,
  now: Date,
): { task: SyncTask; actions: SyncAction[] } {
  const phase = hookPhaseOf(observed.health);
  const message = observed.health?.message;
  if (phase === 'Running') {
    return {
      task: { ...task, hookPhase: 'Running', message: message ?? task.message },
      actions: [],
    };
  }
  const failed = phase === 'Failed';
  const policy = failed ? 'HookFailed' : 'HookSucceeded';
  return {
    task: {
      ...finished(task, now, failed),
      hookPhase: phase,
      message: failed
        ? `${describeTask(task)}: hook failed: ${message ?? 'no reason given'}`
        : message ?? 'succeeded',
    },
    actions: task.deletePolicies?.includes(policy)
      ? [deleteHookAction(task, policy)]
      : [],
  };
}

/**
 * Moves a task that waits on the cluster (progress `running`) on from what
 * the caller observed. A wave waits for Healthy, and also accepts Suspended
 * (a paused or stopped object is what its manifest asks for; Argo CD waits
 * forever) and objects without health. Degraded fails the task; Progressing,
 * Unknown and Missing keep it waiting. Hooks finishing may trigger their
 * HookSucceeded or HookFailed deletion, returned as actions.
 */
export function settle(
  task: SyncTask,
  observed: Observation | undefined,
  now: Date,
): { task: SyncTask; actions: SyncAction[] } {
  if (task.progress !== 'running' || !observed) {
    return { task, actions: [] };
  }
  if (task.action === 'prune') {
    return {
      task: observed.present
        ? { ...task, message: 'waiting for deletion' }
        : finished(task, now, false),
      actions: [],
    };
  }
  if (!observed.present) {
    return { task: { ...task, health: 'Missing' }, actions: [] };
  }
  if (task.isHook) {
    // Another application's run took the name meanwhile: not ours to follow.
    return observed.sharedWith
      ? { task: refusedHook(task, observed.sharedWith, now), actions: [] }
      : settleHook(task, observed, now);
  }
  const health = observed.health;
  if (!health) {
    return { task: finished(task, now, false), actions: [] };
  }
  const withHealth = {
    ...task,
    health: health.status,
    // A health without a message must not keep the message of an earlier,
    // different one: Healthy with "Waiting for rollout to finish".
    message:
      health.message ??
      (task.health !== undefined && task.health !== health.status
        ? health.status.toLowerCase()
        : task.message),
  };
  switch (health.status) {
    case 'Healthy':
    case 'Suspended':
      return { task: finished(withHealth, now, false), actions: [] };
    case 'Degraded':
      return {
        task: {
          ...finished(withHealth, now, true),
          message: `${describeTask(task)}: Degraded: ${
            health.message ?? 'no reason given'
          }`,
        },
        actions: [],
      };
    default:
      return { task: withHealth, actions: [] };
  }
}
