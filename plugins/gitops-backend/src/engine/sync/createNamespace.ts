import { Manifest } from '../manifest';
import { syncOptions } from '../syncOptions';
import { newTask } from './task';
import { SyncTask } from './types';

/** Where the application deploys, for `CreateNamespace=true`. */
export type SyncDestination = {
  namespace?: string;
  /** Argo CD's `managedNamespaceMetadata`. */
  managedNamespaceMetadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

/**
 * The task that creates the destination namespace when the application's
 * sync options say `CreateNamespace=true`, as Argo CD does, with the managed
 * labels and annotations; `placeFirst` puts it before every other task. It carries no tracking id, so a prune never deletes it. None
 * when Git itself has that Namespace: the manifest wins.
 */
export function createNamespaceTask(
  appWide: readonly string[],
  destination: SyncDestination | undefined,
  desired: readonly Manifest[],
): SyncTask | undefined {
  const name = destination?.namespace;
  const options = syncOptions(undefined, appWide);
  if (!options.createNamespace || !name) return undefined;
  if (desired.some(m => m.kind === 'Namespace' && m.metadata.name === name)) {
    return undefined;
  }
  const { labels, annotations } = destination.managedNamespaceMetadata ?? {};
  const manifest: Manifest = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
      ...(annotations && Object.keys(annotations).length > 0
        ? { annotations }
        : {}),
    },
  };
  return { ...newTask(manifest, 'PreSync', 0, options), manifest };
}

/**
 * Moves the namespace task into the first group that runs: PreSync, in the
 * lowest PreSync wave (a Helm pre-install hook of weight -2 is PreSync wave
 * -2), or wave 0. The kind order puts a Namespace first within its group, so
 * it is applied before any other task of any phase, as Argo CD moves a
 * Namespace before the first object that needs it.
 */
export function placeFirst(
  namespaceTask: SyncTask,
  others: readonly SyncTask[],
): SyncTask {
  const wave = others
    .filter(task => task.syncPhase === 'PreSync')
    .reduce((lowest, task) => Math.min(lowest, task.wave), 0);
  return { ...namespaceTask, syncPhase: 'PreSync', wave };
}
