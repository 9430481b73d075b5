import { Manifest, groupOf, resourceKey } from '../manifest';
import { SyncOptions } from '../syncOptions';

/**
 * A server-side dry run fails for what this very sync creates first: custom
 * resources of a CRD it installs, objects in a namespace it creates. Argo CD
 * skips the dry run for the first; we skip both, and say why.
 */
export function dryRunSkipper(desired: Manifest[], live: Manifest[]) {
  const crdKinds = new Set<string>();
  const newNamespaces = new Set<string>();
  const liveKeys = new Set(live.map(resourceKey));
  for (const obj of desired) {
    const spec = obj.spec as
      | { group?: unknown; names?: { kind?: unknown } }
      | undefined;
    if (obj.kind === 'CustomResourceDefinition' && spec) {
      crdKinds.add(`${String(spec.group)}/${String(spec.names?.kind)}`);
    }
    if (obj.kind === 'Namespace' && !liveKeys.has(resourceKey(obj))) {
      newNamespaces.add(obj.metadata.name);
    }
  }
  return (obj: Manifest, options: SyncOptions): string | undefined => {
    if (options.skipDryRunOnMissingResource) {
      return 'SkipDryRunOnMissingResource=true';
    }
    if (crdKinds.has(`${groupOf(obj)}/${obj.kind}`)) {
      return 'its CustomResourceDefinition is created by this sync';
    }
    const ns = obj.metadata.namespace;
    if (ns !== undefined && newNamespaces.has(ns)) {
      return `namespace ${ns} is created by this sync`;
    }
    return undefined;
  };
}
