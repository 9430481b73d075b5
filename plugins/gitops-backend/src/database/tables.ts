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
};
