import { KubeObject } from '../ClusterClient';
import { changesDryRuns } from './watchedKinds';

/**
 * Counts the changes that can change what a server-side dry run returns for
 * an unchanged manifest of a kind: its CRD (schema defaults and pruning),
 * the APIService of its group, and, for every kind, mutating admission and
 * any list of those kinds (a list follows a gap, where events may have been
 * missed). A kind's epoch is the counts that concern it, so a CRD applied
 * elsewhere in the cluster leaves the comparisons of other kinds alone.
 */
export function createSchemaEpochs() {
  let everyKind = 0;
  const byGroupKind = new Map<string, number>();
  const bump = (key: string) =>
    byGroupKind.set(key, (byGroupKind.get(key) ?? 0) + 1);

  return {
    /** An event of an object of a watched kind. */
    changed(object: KubeObject): void {
      const { kind, apiVersion } = object;
      if (!changesDryRuns(kind, apiVersion)) return;
      const spec = object.spec as
        | { group?: unknown; names?: { kind?: unknown } }
        | undefined;
      const group = typeof spec?.group === 'string' ? spec.group : undefined;
      const crdKind = spec?.names?.kind;
      if (kind === 'CustomResourceDefinition' && group !== undefined) {
        if (typeof crdKind === 'string') bump(`${group}/${crdKind}`);
        else everyKind++;
      } else if (kind === 'APIService' && group !== undefined) {
        bump(`${group}/*`);
      } else {
        everyKind++;
      }
    },

    /** A kind was listed afresh. */
    listed(kind: string, apiVersion: string): void {
      if (changesDryRuns(kind, apiVersion)) everyKind++;
    },

    /** The epoch of a kind: changes when anything that concerns it did. */
    epochOf(apiVersion: string, kind: string): string {
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      return `${everyKind}.${byGroupKind.get(`${group}/*`) ?? 0}.${
        byGroupKind.get(`${group}/${kind}`) ?? 0
      }`;
    },
  };
}
