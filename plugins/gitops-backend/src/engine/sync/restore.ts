import { describeTask } from './actions';
import { SyncOperationState } from './types';

/**
 * Puts back the manifests a stored state was saved without (they hold Secret
 * data), taken from a fresh plan of the same operation: same revision,
 * options and start time, so hook names made from generateName come out the
 * same. Tasks are matched by id; everything else (progress, results, cursor)
 * is the stored state's. Any task that still has something to apply, or may
 * be applied again by a retry, needs its manifest: when the fresh plan lacks
 * one, the answer is an Error naming those objects.
 */
export function restoreManifests(
  stored: SyncOperationState,
  replanned: SyncOperationState,
): SyncOperationState | Error {
  const byId = new Map(replanned.tasks.map(task => [task.id, task]));
  const missing: string[] = [];
  const tasks = stored.tasks.map(task => {
    if (task.manifest || task.action === 'prune') return task;
    const manifest = byId.get(task.id)?.manifest;
    if (!manifest) {
      missing.push(describeTask(task));
      return task;
    }
    return { ...task, manifest };
  });
  if (missing.length > 0) {
    const why = replanned.phase === 'Running' ? '' : ` (${replanned.message})`;
    return new Error(
      `the desired state at revision ${
        stored.revision ?? '(none)'
      } no longer holds ${missing.join(', ')}${why}`,
    );
  }
  return { ...stored, tasks };
}
