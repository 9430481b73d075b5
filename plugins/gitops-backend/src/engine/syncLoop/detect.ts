/**
 * Sync-loop detection, beyond Argo CD: selfHeal repairs a field, another
 * field manager (an autoscaler, an operator, a script) sets it back, selfHeal
 * repairs it again, forever. Each fight is counted once per change the other
 * manager makes (its managedFields time), so refreshing the same drift twice is not two fights; a
 * fight not seen again within the window is forgotten.
 */

/** One drifted field of one resource, as a refresh saw it. */
export type DriftSighting = {
  /** `group/kind/namespace/name`. */
  resource: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  /** JSON pointer of the field. */
  path: string;
  /** The other field managers owning it live; the first is named. */
  managers: string[];
  /**
   * Identifies the other manager's change: its managedFields time, else the
   * object's resourceVersion. A new value is a new change.
   */
  changeId: string;
};

export type Fight = Omit<DriftSighting, 'managers' | 'changeId'> & {
  manager: string;
  /** How many times it was seen changed back, at distinct versions. */
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
  lastChangeId: string;
};

/** Plain JSON, stored between refreshes. */
export type SyncLoopState = { fights: Fight[] };

export type SyncLoopSettings = {
  /** Changes back that make a loop; 3 by default. */
  threshold: number;
  /** A fight not seen for this long is forgotten; 10 minutes by default. */
  windowMs: number;
};

export const DEFAULT_SYNC_LOOP_SETTINGS: SyncLoopSettings = {
  threshold: 3,
  windowMs: 10 * 60_000,
};

export const EMPTY_SYNC_LOOP_STATE: SyncLoopState = { fights: [] };

const sameField = (fight: Fight, sighting: DriftSighting, manager: string) =>
  fight.resource === sighting.resource &&
  fight.path === sighting.path &&
  fight.manager === manager;

/**
 * Folds one refresh's drift into the state. `loops` are the fights that
 * reached the threshold and are still drifting now: an entry that stopped
 * drifting (the user added an ignoreDifferences rule, or the other manager
 * gave up) ends its loop at once, and its record ages out.
 */
export function observeSyncLoops(
  state: SyncLoopState,
  sightings: readonly DriftSighting[],
  now: Date,
  settings: SyncLoopSettings = DEFAULT_SYNC_LOOP_SETTINGS,
): { state: SyncLoopState; loops: Fight[] } {
  const at = now.toISOString();
  const fights = state.fights.filter(
    fight => now.getTime() - Date.parse(fight.lastSeenAt) <= settings.windowMs,
  );
  const current: Fight[] = [];
  for (const sighting of sightings) {
    const manager = sighting.managers[0];
    if (!manager) continue;
    const index = fights.findIndex(f => sameField(f, sighting, manager));
    const { managers: _, changeId, ...field } = sighting;
    const known = index >= 0 ? fights[index] : undefined;
    let fight: Fight;
    if (!known) {
      fight = {
        ...field,
        manager,
        count: 1,
        firstSeenAt: at,
        lastSeenAt: at,
        lastChangeId: changeId,
      };
    } else if (known.lastChangeId === changeId) {
      fight = known;
    } else {
      fight = {
        ...known,
        count: known.count + 1,
        lastSeenAt: at,
        lastChangeId: changeId,
      };
    }
    if (index >= 0) fights[index] = fight;
    else fights.push(fight);
    current.push(fight);
  }
  return {
    state: { fights },
    loops: current.filter(fight => fight.count >= settings.threshold),
  };
}

/**
 * What to tell the user: which field, which manager, and the
 * ignoreDifferences entry that ends the fight (with RespectIgnoreDifferences,
 * so a later sync does not undo the other manager's value either).
 */
export function describeLoop(fight: Fight): string {
  const where = fight.namespace
    ? `${fight.kind}/${fight.namespace}/${fight.name}`
    : `${fight.kind}/${fight.name}`;
  const group = fight.group === '' ? '""' : fight.group;
  const ns = fight.namespace ? `, namespace: ${fight.namespace}` : '';
  return (
    `sync loop: selfHeal stopped for ${where}: field ${fight.path} was set ` +
    `back by field manager "${fight.manager}" ${fight.count} times since ` +
    `${fight.firstSeenAt}. To let it own the field, add to ignoreDifferences ` +
    `{group: ${group}, kind: ${fight.kind}, name: ${fight.name}${ns}, ` +
    `jsonPointers: [${fight.path}]} (or managedFieldsManagers: ` +
    `[${fight.manager}]) and the sync option RespectIgnoreDifferences=true; ` +
    `or stop "${fight.manager}" from changing it.`
  );
}
