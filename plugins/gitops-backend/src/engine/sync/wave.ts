import {
  applyAction,
  deleteAction,
  deleteHookAction,
  describeTask,
  inFlightAction,
} from './actions';
import { refusedHook } from './observe';
import { Observation, SyncAction, SyncTask } from './types';

export type WaveOutcome =
  | { kind: 'done' }
  | { kind: 'failed' }
  | { kind: 'busy'; actions: SyncAction[] }
  | { kind: 'waiting'; reason: string };

function waitingFor(task: SyncTask): string {
  const name = describeTask(task);
  if (task.progress === 'awaiting-deletion') {
    return `deletion of the previous run of hook ${name}`;
  }
  if (task.action === 'prune') {
    return `deletion of ${name}`;
  }
  return task.isHook
    ? `completion of hook ${name}`
    : `healthy state of ${name}`;
}

function waitReason(tasks: SyncTask[]): string {
  const waiting = tasks.filter(
    task => task.progress !== 'done' && task.progress !== 'failed',
  );
  const more = waiting.length - 1;
  return `waiting for ${waitingFor(waiting[0])}${
    more > 0 ? ` and ${more} more` : ''
  }`;
}

function start(
  task: SyncTask,
  previousRun: Observation | undefined,
  now: Date,
): { task: SyncTask; action: SyncAction } {
  const started = {
    ...task,
    status: 'Running' as const,
    startedAt: now.toISOString(),
  };
  if (task.action === 'prune') {
    return {
      task: { ...started, progress: 'deleting', message: 'pruning' },
      action: deleteAction(task),
    };
  }
  // Unless the caller saw that no previous run exists, delete it first: a
  // named hook that still exists would not run again.
  if (
    task.isHook &&
    task.deletePolicies?.includes('BeforeHookCreation') &&
    previousRun?.present
  ) {
    return {
      task: {
        ...started,
        progress: 'deleting-previous',
        message: 'deleting the previous run',
      },
      action: deleteHookAction(task, 'BeforeHookCreation'),
    };
  }
  return {
    task: { ...started, progress: 'applying' },
    action: applyAction(task, false),
  };
}

/**
 * Advances the tasks of one (phase, wave) group by one step. Within a wave,
 * prunes go first and in reverse order (what came last goes first), then the
 * deletion of previous hook runs, then applies in the sync order. Once a task
 * of the wave failed nothing new starts; the wave fails when nothing of it is
 * still in flight and no hook of it still runs, so SyncFail hooks never
 * overlap with the hooks that caused the failure.
 */
export function advanceWave(
  tasks: SyncTask[],
  resources: Record<string, Observation>,
  now: Date,
): { tasks: SyncTask[]; outcome: WaveOutcome } {
  const failed = tasks.some(task => task.progress === 'failed');
  const actions: SyncAction[] = [];
  const updated = tasks.map(task => {
    const repeated = inFlightAction(task);
    if (repeated) {
      actions.push(repeated);
      return task;
    }
    if (failed) {
      return task;
    }
    if (task.progress === 'pending') {
      const previousRun = resources[task.key];
      if (task.isHook && previousRun?.sharedWith) {
        return refusedHook(task, previousRun.sharedWith, now);
      }
      // Not looked at yet: it might be another application's object, which
      // a hook must never delete or apply over.
      if (task.isHook && !previousRun) return task;
      const started = start(task, previousRun, now);
      actions.push(started.action);
      return started.task;
    }
    const owner = resources[task.key]?.sharedWith;
    if (task.progress === 'awaiting-deletion' && owner) {
      return refusedHook(task, owner, now);
    }
    if (
      task.progress === 'awaiting-deletion' &&
      resources[task.key]?.present === false
    ) {
      actions.push(applyAction(task, false));
      return { ...task, progress: 'applying' as const, message: '' };
    }
    return task;
  });
  const rank = (action: SyncAction) =>
    ['delete', 'delete-hook', 'apply'].indexOf(action.type);
  const ordered = [
    ...actions.filter(a => a.type === 'delete').reverse(),
    ...actions
      .filter(a => a.type !== 'delete')
      .sort((a, b) => rank(a) - rank(b)),
  ];
  if (ordered.length > 0) {
    return { tasks: updated, outcome: { kind: 'busy', actions: ordered } };
  }
  if (updated.every(task => task.progress === 'done')) {
    return { tasks: updated, outcome: { kind: 'done' } };
  }
  const hookRunning = updated.some(
    task => task.isHook && task.progress === 'running',
  );
  // A task may have failed in this very step (a hook refused above).
  const failedNow = updated.some(task => task.progress === 'failed');
  if (failedNow && !hookRunning) {
    return { tasks: updated, outcome: { kind: 'failed' } };
  }
  return {
    tasks: updated,
    outcome: { kind: 'waiting', reason: waitReason(updated) },
  };
}
