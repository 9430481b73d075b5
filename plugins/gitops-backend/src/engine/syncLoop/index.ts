/**
 * Sync-loop detection (beyond Argo CD): see detect.ts for the semantics.
 */
export { driftOwners } from './driftOwners';
export type { DriftOwner } from './driftOwners';
export {
  DEFAULT_SYNC_LOOP_SETTINGS,
  EMPTY_SYNC_LOOP_STATE,
  describeLoop,
  observeSyncLoops,
} from './detect';
export type {
  DriftSighting,
  Fight,
  SyncLoopSettings,
  SyncLoopState,
} from './detect';
