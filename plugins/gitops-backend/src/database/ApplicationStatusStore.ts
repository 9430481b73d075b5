import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ApplicationStatus,
  HealthStatusCode,
  SyncStatusCode,
} from '@internal/backstage-plugin-gitops-common';
import { Knex } from 'knex';
import { migrateUp } from './migrations';
import { ApplicationStatusRow } from './tables';

const SYNC: readonly SyncStatusCode[] = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH: readonly HealthStatusCode[] = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];

/** Reads and writes the last observed state of applications. */
export class ApplicationStatusStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<ApplicationStatusStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) await migrateUp(knex);
    return new ApplicationStatusStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async writeStatus(name: string, status: ApplicationStatus): Promise<void> {
    const row: ApplicationStatusRow = {
      name,
      sync_status: status.sync,
      health_status: status.health,
      revision: status.revision ?? null,
      reconciled_at: new Date(status.reconciledAt ?? Date.now()),
      conditions: status.conditions?.length
        ? JSON.stringify(status.conditions)
        : null,
    };
    await this.knex<ApplicationStatusRow>('application_status')
      .insert(row)
      .onConflict('name')
      .merge();
  }

  /** The revision the last automated sync was started for. */
  async readAutoSyncRevision(name: string): Promise<string | undefined> {
    const row = await this.knex<ApplicationStatusRow>('application_status')
      .where({ name })
      .first('auto_sync_revision');
    return row?.auto_sync_revision ?? undefined;
  }

  async writeAutoSyncRevision(name: string, revision: string): Promise<void> {
    await this.knex<ApplicationStatusRow>('application_status')
      .where({ name })
      .update({ auto_sync_revision: revision });
  }

  /** Statuses of the named applications; names never reconciled are absent. */
  async readStatuses(names: string[]): Promise<Map<string, ApplicationStatus>> {
    const result = new Map<string, ApplicationStatus>();
    // Chunked: SQLite limits the number of bound parameters per statement.
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.knex<ApplicationStatusRow>('application_status')
        .whereIn('name', names.slice(i, i + 500))
        .select();
      for (const row of rows) result.set(row.name, toStatus(row));
    }
    return result;
  }
}

function toStatus(row: ApplicationStatusRow): ApplicationStatus {
  return {
    // A value this version does not know (a newer writer) reads as Unknown.
    sync: SYNC.find(s => s === row.sync_status) ?? 'Unknown',
    health: HEALTH.find(h => h === row.health_status) ?? 'Unknown',
    revision: row.revision ?? undefined,
    reconciledAt: new Date(row.reconciled_at).toISOString(),
    conditions: row.conditions ? JSON.parse(row.conditions) : [],
  };
}
