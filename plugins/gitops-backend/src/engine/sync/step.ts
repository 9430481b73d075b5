import { groupIntoWaves } from '../ordering';
import { applyAction, inFlightAction, waitAction } from './actions';
import { applyResults, settle } from './observe';
import { endFailedAttempt, restartAttempt } from './retry';
import { finishTermination, startTermination } from './terminate';
import {
  Observation,
  StepResult,
  SyncAction,
  SyncObservations,
  SyncOperationState,
  SyncTask,
} from './types';
import { advanceWave } from './wave';

const FINISHED = new Set(['Succeeded', 'Failed', 'Error']);

export function isFinished(state: SyncOperationState): boolean {
  return FINISHED.has(state.phase);
}

/** Asks a running operation to stop at its next step. */
export function requestTermination(
  state: SyncOperationState,
): SyncOperationState {
  return isFinished(state) ? state : { ...state, terminateRequested: true };
}

function replaceTasks(
  state: SyncOperationState,
  changed: SyncTask[],
): SyncOperationState {
  const byId = new Map(changed.map(task => [task.id, task]));
  return {
    ...state,
    tasks: state.tasks.map(task => byId.get(task.id) ?? task),
  };
}

function failureMessage(tasks: SyncTask[], stage: string): string {
  const failed = tasks.filter(task => task.progress === 'failed');
  const reasons = failed.map(task => task.message).join('; ');
  if (stage === 'validate') {
    return `one or more objects failed to apply (dry run), reason: ${reasons}`;
  }
  const head = failed.some(task => task.status === 'SyncFailed')
    ? 'one or more objects failed to apply'
    : 'one or more synchronization tasks completed unsuccessfully';
  return `${head}, reason: ${reasons}`;
}

function validate(
  state: SyncOperationState,
  resources: Record<string, Observation>,
  now: Date,
): StepResult {
  // Hooks are not dry-run: their previous run may still exist until just
  // before they are created, and Jobs refuse template changes.
  const checked = (task: SyncTask) =>
    task.action === 'apply' && !task.skipDryRun;
  const actions: SyncAction[] = [];
  const tasks = state.tasks.map(task => {
    const repeated = inFlightAction(task);
    if (repeated) {
      actions.push(repeated);
      return task;
    }
    if (state.cursor.stage === 'validate' && checked(task)) {
      actions.push(applyAction(task, true));
      return { ...task, progress: 'validating' as const };
    }
    return task;
  });
  const next = { ...state, tasks, cursor: { stage: 'validating' as const } };
  if (actions.length > 0) {
    return { state: { ...next, message: 'validating (dry run)' }, actions };
  }
  if (tasks.some(task => task.progress === 'failed')) {
    const message = failureMessage(tasks, 'validate');
    return { state: endFailedAttempt(next, message, now), actions: [] };
  }
  if (state.options.dryRun) {
    return { state: finishDryRun(next, now), actions: [] };
  }
  return run({ ...next, cursor: { stage: 'sync' } }, resources, now);
}

function finishDryRun(
  state: SyncOperationState,
  now: Date,
): SyncOperationState {
  const at = now.toISOString();
  const tasks = state.tasks.map((task): SyncTask => {
    if (task.status === 'PruneSkipped' || task.isHook) {
      return task;
    }
    const done = { ...task, progress: 'done' as const, finishedAt: at };
    if (task.action === 'prune') {
      return { ...done, status: 'Pruned', message: 'pruned (dry run)' };
    }
    const message = task.skipDryRun
      ? `dry run skipped: ${task.skipDryRun}`
      : `${task.message} (dry run)`;
    return { ...done, status: 'Synced', message };
  });
  return {
    ...state,
    tasks,
    phase: 'Succeeded',
    message: 'successfully synced (dry run)',
    finishedAt: at,
    cursor: { stage: 'done' },
  };
}

/**
 * Runs the groups of the current stage in order: the first group not done
 * is advanced; a group that finishes lets the next one start in the same
 * step. The sync stage runs PreSync, Sync and PostSync; the syncFail stage
 * runs the SyncFail hooks of a failed attempt.
 */
function run(
  state: SyncOperationState,
  resources: Record<string, Observation>,
  now: Date,
): StepResult {
  const stage = state.cursor.stage;
  const inStage = state.tasks
    .filter(task => (task.syncPhase === 'SyncFail') === (stage === 'syncFail'))
    .map(task => ({ ...task, phase: task.syncPhase }));
  let current = state;
  for (const group of groupIntoWaves(inStage)) {
    const tasks = group.tasks.map(({ phase: _, ...task }) => task);
    if (tasks.every(task => task.progress === 'done')) {
      continue;
    }
    const advanced = advanceWave(tasks, resources, now);
    current = {
      ...replaceTasks(current, advanced.tasks),
      cursor: { stage, phase: group.phase, wave: group.wave },
    };
    const { outcome } = advanced;
    if (outcome.kind === 'busy') {
      const message = 'one or more tasks are running';
      return { state: { ...current, message }, actions: outcome.actions };
    }
    if (outcome.kind === 'waiting') {
      return {
        state: { ...current, message: outcome.reason },
        actions: [waitAction(outcome.reason)],
      };
    }
    if (outcome.kind === 'failed') {
      return fail(current, advanced.tasks, resources, now);
    }
  }
  if (stage === 'syncFail') {
    return {
      state: endFailedAttempt(current, current.failure ?? 'failed', now),
      actions: [],
    };
  }
  const at = now.toISOString();
  return {
    state: {
      ...current,
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      finishedAt: at,
      cursor: { stage: 'done' },
    },
    actions: [],
  };
}

function fail(
  state: SyncOperationState,
  failedWave: SyncTask[],
  resources: Record<string, Observation>,
  now: Date,
): StepResult {
  if (state.cursor.stage === 'syncFail') {
    const message = `${state.failure}; SyncFail hooks failed: ${failedWave
      .filter(task => task.progress === 'failed')
      .map(task => task.message)
      .join('; ')}`;
    return { state: endFailedAttempt(state, message, now), actions: [] };
  }
  const failure = failureMessage(failedWave, 'sync');
  if (!state.tasks.some(task => task.syncPhase === 'SyncFail')) {
    return { state: endFailedAttempt(state, failure, now), actions: [] };
  }
  return run(
    {
      ...state,
      failure,
      message: `${failure}; running SyncFail hooks`,
      cursor: { stage: 'syncFail' },
    },
    resources,
    now,
  );
}

/**
 * Advances a sync operation by one step. `observations` carry the results of
 * the actions the previous step returned (a missing result makes the action
 * be returned again, which is how a restarted backend resumes) and the
 * objects of the tasks as the caller sees them now. The caller executes the
 * returned actions in order, persists the state, and calls again; `wait`
 * means nothing is to be done before the next observation, or before `until`.
 */
export function nextStep(
  previous: SyncOperationState,
  observations: SyncObservations,
  now: Date,
): StepResult {
  if (isFinished(previous)) {
    return { state: previous, actions: [] };
  }
  let state: SyncOperationState = {
    ...previous,
    tasks: applyResults(previous.tasks, observations.results ?? [], now),
  };
  if (state.phase === 'Terminating') {
    return finishTermination(state, now);
  }
  if (state.terminateRequested) {
    return startTermination(state, now);
  }
  if (state.nextAttemptAt) {
    if (now.getTime() < Date.parse(state.nextAttemptAt)) {
      const reason = `retry ${state.retryCount} at ${state.nextAttemptAt}`;
      return {
        state,
        actions: [waitAction(`waiting for ${reason}`, state.nextAttemptAt)],
      };
    }
    state = restartAttempt(state, now);
  }

  const resources = observations.resources ?? {};
  const cleanup: SyncAction[] = [];
  state = {
    ...state,
    tasks: state.tasks.map(task => {
      const settled = settle(task, resources[task.key], now);
      for (const action of settled.actions) cleanup.push(action);
      return settled.task;
    }),
  };
  const result =
    state.cursor.stage === 'validate' || state.cursor.stage === 'validating'
      ? validate(state, resources, now)
      : run(state, resources, now);
  if (cleanup.length === 0) {
    return result;
  }
  // Hook deletions are fire-and-forget: they replace a mere wait.
  const actions = result.actions.filter(action => action.type !== 'wait');
  return { state: result.state, actions: [...cleanup, ...actions] };
}
