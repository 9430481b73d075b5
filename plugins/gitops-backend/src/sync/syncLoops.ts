import {
  ApplicationCondition,
  ApplicationDefinition,
} from '@backstage-gitops/plugin-gitops-common';
import { SyncLoopStore } from '../database/SyncLoopStore';
import {
  DEFAULT_SYNC_LOOP_SETTINGS,
  DriftSighting,
  SyncLoopSettings,
  describeLoop,
  observeSyncLoops,
} from '../engine/syncLoop';
import { ApplicationComparison } from '../compare/compareApplication';

/** The condition type that stops selfHeal (see autoSync). */
export const SYNC_LOOP_CONDITION = 'SyncLoop';

/** The drifted fields of a comparison that another field manager owns. */
export function driftSightings(
  comparison: Pick<ApplicationComparison, 'resources'>,
): DriftSighting[] {
  return comparison.resources.flatMap(resource =>
    (resource.drift?.owners ?? []).map(owner => ({
      resource: resource.key,
      group: resource.key.split('/')[0],
      kind: resource.kind,
      namespace: resource.namespace ?? '',
      name: resource.name,
      path: owner.path,
      managers: owner.managers,
      changeId: owner.changedAt ?? resource.drift!.resourceVersion,
    })),
  );
}

/**
 * Watches refreshes for selfHeal fights (engine/syncLoop) and turns a loop
 * into a condition of the application, which stops selfHeal until the drift
 * ends. Only applications with selfHeal fight; the others are forgotten.
 */
export function createSyncLoopWatcher(deps: {
  store: SyncLoopStore;
  settings?: Partial<SyncLoopSettings>;
  now?: () => Date;
}) {
  const settings = { ...DEFAULT_SYNC_LOOP_SETTINGS, ...deps.settings };
  const now = deps.now ?? (() => new Date());
  return {
    async observe(
      app: ApplicationDefinition,
      comparison: Pick<ApplicationComparison, 'resources'>,
    ): Promise<ApplicationCondition[]> {
      if (!app.syncPolicy?.automated?.selfHeal) {
        await deps.store.write(app.name, { fights: [] });
        return [];
      }
      const previous = await deps.store.read(app.name);
      const { state, loops } = observeSyncLoops(
        previous,
        driftSightings(comparison),
        now(),
        settings,
      );
      await deps.store.write(app.name, state);
      return loops.map(fight => ({
        type: SYNC_LOOP_CONDITION,
        message: describeLoop(fight),
      }));
    },
  };
}

export type SyncLoopWatcher = ReturnType<typeof createSyncLoopWatcher>;
