import { isRecord } from '../diff/json';
import { Manifest } from '../manifest';
import { syncOptions } from '../syncOptions';
import { newTask } from './task';
import { SyncTask } from './types';

type NamespaceMetadata = {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};

/** Where the application deploys, for `CreateNamespace=true`. */
export type SyncDestination = {
  namespace?: string;
  /** Argo CD's `managedNamespaceMetadata`. */
  managedNamespaceMetadata?: NamespaceMetadata;
  /**
   * The destination namespace as the cluster has it; absent when it does
   * not exist, or to plan its task whatever it holds (a replan on resume).
   */
  liveNamespace?: Manifest;
  /** The field manager our applies write under: which live metadata is ours. */
  fieldManager?: string;
};

/**
 * The task that creates the destination namespace when the application's
 * sync options say `CreateNamespace=true`, as Argo CD does, with the managed
 * labels and annotations; `placeFirst` puts it before every other task. It
 * carries no tracking id, so a prune never deletes it. None
 * when Git itself has that Namespace: the manifest wins.
 *
 * None either when the namespace exists and nothing would change, so a sync
 * with no change writes nothing: Argo CD leaves an existing namespace alone
 * without `managedNamespaceMetadata`, and with it we compare first. (An
 * apply of a bare Namespace owns no field, so the next one would record a
 * `before-first-apply` owner and move its resourceVersion.)
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
  const managed = destination.managedNamespaceMetadata;
  const live = destination.liveNamespace;
  if (
    live &&
    (!managed || isApplied(managed, live, destination.fieldManager))
  ) {
    return undefined;
  }
  const { labels, annotations } = managed ?? {};
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
 * Whether the live namespace already holds the managed metadata, and our
 * field manager owns no label or annotation the metadata dropped (an apply
 * would remove those).
 */
function isApplied(
  managed: NamespaceMetadata,
  live: Manifest,
  fieldManager: string | undefined,
): boolean {
  const owned = fieldManager ? ownedMetadataKeys(live, fieldManager) : {};
  return (['labels', 'annotations'] as const).every(field => {
    const wanted = managed[field] ?? {};
    const current = (live.metadata[field] ?? {}) as Record<string, unknown>;
    return (
      Object.entries(wanted).every(([key, value]) => current[key] === value) &&
      (owned[field] ?? []).every(key => key in wanted)
    );
  });
}

/** The label and annotation keys a manager's server-side applies own. */
function ownedMetadataKeys(
  live: Manifest,
  manager: string,
): Partial<Record<'labels' | 'annotations', string[]>> {
  const entries = live.metadata.managedFields;
  const result: Partial<Record<'labels' | 'annotations', string[]>> = {};
  for (const entry of Array.isArray(entries) ? entries : []) {
    if (!isRecord(entry) || entry.manager !== manager) continue;
    if (entry.operation !== 'Apply' || !isRecord(entry.fieldsV1)) continue;
    const metadata = entry.fieldsV1['f:metadata'];
    if (!isRecord(metadata)) continue;
    for (const field of ['labels', 'annotations'] as const) {
      const keys = metadata[`f:${field}`];
      if (!isRecord(keys)) continue;
      result[field] = [
        ...(result[field] ?? []),
        ...Object.keys(keys)
          .filter(key => key.startsWith('f:'))
          .map(key => key.slice(2)),
      ];
    }
  }
  return result;
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
