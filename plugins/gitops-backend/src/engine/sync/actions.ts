import { HookDeletePolicy } from '../annotations';
import { SyncAction, SyncTask } from './types';

/** How errors and messages name a task's object: `Job/shop/migrate`. */
export function describeTask(task: SyncTask): string {
  return task.namespace
    ? `${task.kind}/${task.namespace}/${task.name}`
    : `${task.kind}/${task.name}`;
}

export function applyAction(task: SyncTask, dryRun: boolean): SyncAction {
  if (!task.manifest) {
    // Only prune tasks lack a manifest, and they are never applied.
    throw new Error(`${describeTask(task)}: nothing to apply`);
  }
  return {
    type: 'apply',
    taskId: task.id,
    key: task.key,
    manifest: task.manifest,
    dryRun,
    serverSide: task.serverSide,
    replace: task.replace,
    force: task.force,
    validate: task.validate,
  };
}

export function deleteAction(task: SyncTask): SyncAction {
  return {
    type: 'delete',
    taskId: task.id,
    key: task.key,
    ref: task.ref,
    propagationPolicy: task.propagationPolicy,
  };
}

export function deleteHookAction(
  task: SyncTask,
  reason: HookDeletePolicy | 'Terminate',
): SyncAction {
  return {
    type: 'delete-hook',
    taskId: task.id,
    key: task.key,
    ref: task.ref,
    propagationPolicy: task.propagationPolicy,
    reason,
  };
}

export function waitAction(reason: string, until?: string): SyncAction {
  return until ? { type: 'wait', reason, until } : { type: 'wait', reason };
}

/** The action a task in flight waits for, to repeat when its result is lost. */
export function inFlightAction(task: SyncTask): SyncAction | undefined {
  switch (task.progress) {
    case 'validating':
      return applyAction(task, true);
    case 'applying':
      return applyAction(task, false);
    case 'deleting':
      return deleteAction(task);
    case 'deleting-previous':
      return deleteHookAction(task, 'BeforeHookCreation');
    default:
      return undefined;
  }
}
