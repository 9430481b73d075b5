import {
  ClusterClient,
  PropagationPolicy as ClusterPropagationPolicy,
} from '../cluster/ClusterClient';
import { Manifest, PropagationPolicy } from '../engine';
import {
  ActionResult,
  Observation,
  SyncAction,
  SyncObservations,
  SyncOperationState,
  SyncTask,
  abandonRetry,
  isFinished,
  nextStep,
  observeResources,
  requestTermination,
  retryDue,
} from '../engine/sync';
import { applyObject } from './applyObject';
import { describeError } from '../cluster/apiServerMessages';
import { redact } from './syncSecrets';

export type RunSyncInput = {
  /** A planned state, or a stored one with its manifests restored. */
  state: SyncOperationState;
  cluster: ClusterClient;
  /** Secret values of the manifests, masked in every message. */
  secrets: readonly string[];
  /** Called with the state after every step, before its actions run. */
  onState?: (state: SyncOperationState) => Promise<void>;
  signal?: {
    /** True terminates the operation (running hooks are deleted). */
    terminateRequested(): boolean;
    /**
     * True stops the loop between steps and leaves the operation as last
     * stored, unfinished, for a backend to resume (this one is shutting down).
     */
    interrupted?(): boolean;
    /**
     * Asked before each retry; a reason ends the operation instead (an
     * automated sync whose application is no longer automated).
     */
    refuseRetry?(state: SyncOperationState): Promise<string | undefined>;
  };
  now: () => Date;
  pollIntervalMs: number;
};

/** How often the cluster is looked at while a wave waits. */
export const DEFAULT_POLL_INTERVAL_MS = 2000;

const PROPAGATION: Record<PropagationPolicy, ClusterPropagationPolicy> = {
  foreground: 'Foreground',
  background: 'Background',
  orphan: 'Orphan',
};

/**
 * Drives an operation to its end from `state`: step, persist (`onState`),
 * execute the actions in order, look at the objects of the tasks, repeat.
 * From a stored state it resumes: actions in flight when it was stored are
 * repeated (applies are idempotent; a delete of what is gone succeeds).
 */
export async function runSync(
  input: RunSyncInput,
): Promise<SyncOperationState> {
  const { cluster, secrets, now, pollIntervalMs } = input;
  let state = input.state;
  const report = async (next: SyncOperationState) => {
    await input.onState?.(next);
  };
  const terminateRequested = () => input.signal?.terminateRequested() ?? false;
  const interrupted = () => input.signal?.interrupted?.() ?? false;

  // Hooks start only once their names were looked up (another application's
  // object is never run over), so the first step already sees them.
  let observations: SyncObservations = {
    resources: await observe(cluster, state),
  };
  while (!isFinished(state)) {
    if (interrupted()) {
      // Stored as it is: another backend (or this one, restarted) resumes it.
      return state;
    }
    if (terminateRequested()) {
      state = requestTermination(state);
    } else if (retryDue(state, now()) && input.signal?.refuseRetry) {
      const refused = await input.signal.refuseRetry(state);
      if (refused) {
        state = abandonRetry(state, refused, now());
        await report(state);
        break;
      }
    }
    const step = nextStep(state, observations, now());
    state = step.state;
    await report(state);

    const results: ActionResult[] = [];
    let wait: Extract<SyncAction, { type: 'wait' }> | undefined;
    for (const action of step.actions) {
      if (action.type === 'wait') {
        wait = action;
      } else {
        results.push(await execute(cluster, action, secrets));
      }
    }
    if (isFinished(state)) {
      // Fire-and-forget hook deletions may come with the last step.
      break;
    }
    if (results.length === 0) {
      await pause(
        wait?.until,
        now,
        pollIntervalMs,
        () => terminateRequested() || interrupted(),
      );
    }
    observations = { results, resources: await observe(cluster, state) };
  }
  return state;
}

async function execute(
  cluster: ClusterClient,
  action: Exclude<SyncAction, { type: 'wait' }>,
  secrets: readonly string[],
): Promise<ActionResult> {
  const { taskId, type } = action;
  try {
    if (action.type === 'apply') {
      // Server-side apply, which takes over conflicting fields as kubectl
      // apply does, unless Replace, Force or Validate say otherwise.
      const note = await applyObject(cluster, action);
      if (note)
        return { taskId, type, ok: true, message: redact(note, secrets) };
    } else {
      // Already gone counts as deleted: a resumed step may repeat a delete.
      await cluster.delete(action.ref, {
        propagationPolicy: PROPAGATION[action.propagationPolicy],
      });
    }
    return { taskId, type, ok: true };
  } catch (error) {
    return { taskId, type, ok: false, message: describeError(error, secrets) };
  }
}

// What the next step reads of a task's object: health or presence once it is
// applied or deleted, and whether a hook's previous run still exists.
function needsLook(task: SyncTask): boolean {
  switch (task.progress) {
    case 'done':
    case 'failed':
    case 'validating':
      return false;
    case 'pending':
      return task.isHook;
    default:
      return true;
  }
}

/**
 * The objects the next step needs, by resource key. An object that cannot
 * be read is left out: "not looked at", never "gone" or "healthy".
 */
async function observe(
  cluster: ClusterClient,
  state: SyncOperationState,
): Promise<Record<string, Observation>> {
  const refs = new Map<string, SyncTask>();
  for (const task of state.tasks) {
    if (needsLook(task) && !refs.has(task.key)) refs.set(task.key, task);
  }
  const looked: SyncTask[] = [];
  const live: Manifest[] = [];
  for (const task of refs.values()) {
    try {
      const obj = await cluster.get(task.ref);
      looked.push(task);
      if (obj) live.push(obj as Manifest);
    } catch {
      // Not looked at: the next poll tries again.
    }
  }
  return observeResources({ ...state, tasks: looked }, live);
}

/** Sleeps until `until`, or one poll interval; wakes early to terminate or stop. */
async function pause(
  until: string | undefined,
  now: () => Date,
  pollIntervalMs: number,
  wake: () => boolean,
): Promise<void> {
  // Measured on the real clock once: `now` may be a test's clock.
  const delay = until ? Date.parse(until) - now().getTime() : pollIntervalMs;
  const deadline = Date.now() + delay;
  for (let left = delay; left > 0; left = deadline - Date.now()) {
    await new Promise(resolve =>
      setTimeout(resolve, Math.min(left, pollIntervalMs)),
    );
    if (wake()) return;
  }
}
