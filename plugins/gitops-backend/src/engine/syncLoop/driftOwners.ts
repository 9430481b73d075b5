import { isRecord } from '../diff/json';
import { locateOwnedPath, ownedPaths } from '../diff/managedFields';
import { formatPointer } from '../diff/pointer';
import { DiffChange } from '../diff/types';
import { Manifest } from '../manifest';

/** A drifted path of a live object, and who last set it. */
export type DriftOwner = {
  /** A JSON pointer, as the diff gives it. */
  path: string;
  /** Field managers other than ours that own the path (or a part of it). */
  managers: string[];
  /**
   * When the newest of those managers last wrote (its managedFields
   * `time`): a new value means it changed something again.
   */
  changedAt?: string;
};

const overlaps = (a: string, b: string) =>
  a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * For each change of a diff where the cluster holds a value Git does not
 * (`replace`, `remove`), the other field managers that own that path in the
 * live object's `managedFields`: who keeps changing it back. A path only
 * Git has (`add`) has no owner to name.
 */
export function driftOwners(
  changes: readonly DiffChange[],
  live: Manifest,
  ownManager: string,
): DriftOwner[] {
  const owned: { manager: string; pointer: string; time?: string }[] = [];
  const entries = live.metadata.managedFields;
  for (const entry of Array.isArray(entries) ? entries : []) {
    if (!isRecord(entry) || typeof entry.manager !== 'string') continue;
    if (entry.manager === ownManager || entry.fieldsType !== 'FieldsV1') {
      continue;
    }
    for (const steps of ownedPaths(entry.fieldsV1).paths) {
      const segments = locateOwnedPath(live, steps);
      if (segments) {
        owned.push({
          manager: entry.manager,
          pointer: formatPointer(segments),
          time: typeof entry.time === 'string' ? entry.time : undefined,
        });
      }
    }
  }
  return changes
    .filter(change => change.op !== 'add' && change.path !== '')
    .map(change => {
      const owners = owned.filter(o => overlaps(o.pointer, change.path));
      const times = owners.map(o => o.time ?? '').sort();
      const changedAt = times[times.length - 1] || undefined;
      return {
        path: change.path,
        managers: [...new Set(owners.map(o => o.manager))].sort(),
        ...(changedAt ? { changedAt } : {}),
      };
    })
    .filter(owner => owner.managers.length > 0);
}
