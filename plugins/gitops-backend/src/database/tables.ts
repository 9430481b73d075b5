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
  /** JSON of the operation state, manifests removed. */
  state: string;
};

export type ApplicationLeaseRow = {
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
