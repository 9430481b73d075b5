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
 * sync options say `CreateNamespace=true`, as Argo CD does: applied first,
 * in PreSync, so hooks and resources find it; with the managed labels and
 * annotations. It carries no tracking id, so a prune never deletes it. None
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
