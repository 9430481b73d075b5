import { FIELD_MANAGER } from '../cluster/ClusterClient';
import { Manifest } from '../engine';
import { ResourceComparison } from '../engine/diff';
import { DriftOwner, driftOwners } from '../engine/syncLoop';

/** The live object's version and who owns each drifted path. */
export type LiveDrift = { resourceVersion: string; owners: DriftOwner[] };

/** Undefined when in sync, missing, or nobody else owns what drifted. */
export function liveDrift(
  comparison: ResourceComparison,
  live: Manifest | undefined,
): LiveDrift | undefined {
  if (!live || comparison.status !== 'OutOfSync') return undefined;
  const owners = driftOwners(comparison.diff.changes, live, FIELD_MANAGER);
  const resourceVersion = live.metadata.resourceVersion;
  if (owners.length === 0 || typeof resourceVersion !== 'string') {
    return undefined;
  }
  return { resourceVersion, owners };
}
