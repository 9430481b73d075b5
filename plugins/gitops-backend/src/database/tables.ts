// Row types, one per table, exactly as the migrations in ../../migrations
// define them (snake_case, as stored).

export type ApplicationStatusRow = {
  name: string;
  sync_status: string;
  health_status: string;
  revision: string | null;
  reconciled_at: Date | string;
  /** JSON array of ApplicationCondition. */
  conditions: string | null;
  auto_sync_revision?: string | null;
  revision_message?: string | null;
  revision_author?: string | null;
  revision_date?: Date | string | null;
  /** JSON of AutoSyncPause. */
  auto_sync_paused?: string | null;
};

export type OperationRow = {
  id: string;
  application: string;
  phase: string;
  initiated_by: string;
  revision: string | null;
  dry_run: boolean | number;
  message: string | null;
  started_at: Date | string;
  finished_at: Date | string | null;
  terminate_requested: boolean | number;
  /** A sync of chosen resources only: no history entry to roll back to. */
  selective?: boolean | number;
  /** JSON of the operation state, manifests removed. */
  state: string;
  /** Masked JSON array of ResourceDiff, as the sync set out. */
  diff?: string | null;
};

export type ApplicationLeaseRow = {
  application: string;
  holder: string;
  expires_at: Date | string;
};

export type LiveRefreshClaimRow = {
  application: string;
  holder: string;
  expires_at: Date | string;
};

export type AuditLogRow = {
  id: string;
  application: string;
  action: string;
  actor: string;
  outcome: string;
  message: string | null;
  /** JSON object of the request's options. */
  details: string | null;
  at: Date | string;
};

export type SyncLoopRow = {
  application: string;
  /** JSON of the engine's SyncLoopState. */
  state: string;
  updated_at: Date | string;
};

export type ApplicationResourceRow = {
  application: string;
  position: number;
  api_group: string;
  api_version: string;
  kind: string;
  namespace: string | null;
  name: string;
  wave: number;
  hook: boolean | number;
  hook_type: string | null;
  sync_status: string | null;
  health_status: string | null;
  health_message: string | null;
  requires_pruning: boolean | number;
  /** Masked JSON of the resource's diff, or null when nothing to show. */
  diff: string | null;
};
