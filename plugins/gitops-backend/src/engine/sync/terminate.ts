import { deleteHookAction } from './actions';
import { StepResult, SyncAction, SyncOperationState, SyncTask } from './types';

/**
 * Stops an operation between steps: hooks still running are deleted (their
 * phase Terminating), and the next step fails the operation with the message
 * "terminated". Without running hooks this happens at once. Pending tasks
 * stay Pending; a terminated operation is never retried.
 */
export function startTermination(
  state: SyncOperationState,
  now: Date,
): StepResult {
  const actions: SyncAction[] = [];
  const tasks = state.tasks.map((task): SyncTask => {
    const running =
      task.isHook &&
      (task.progress === 'applying' ||
        (task.progress === 'running' && task.hookPhase === 'Running'));
    if (!running) {
      return task;
    }
    actions.push(deleteHookAction(task, 'Terminate'));
    return { ...task, hookPhase: 'Terminating', message: 'terminating' };
  });
  const next = { ...state, tasks, phase: 'Terminating' as const };
  return actions.length > 0
    ? { state: { ...next, message: 'terminating' }, actions }
    : finishTermination(next, now);
}

export function finishTermination(
  state: SyncOperationState,
  now: Date,
): StepResult {
  const at = now.toISOString();
  const tasks = state.tasks.map(
    (task): SyncTask =>
      task.hookPhase === 'Terminating'
        ? {
            ...task,
            hookPhase: 'Failed',
            message: 'terminated',
            finishedAt: at,
          }
        : task,
  );
  const { nextAttemptAt: _, ...rest } = state;
  return {
    state: {
      ...rest,
      tasks,
      phase: 'Failed',
      message: 'terminated',
      finishedAt: at,
      cursor: { stage: 'done' },
    },
    actions: [],
  };
}
