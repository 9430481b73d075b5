import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ApplicationStatus,
  AutoSyncPause,
  HealthStatusCode,
  SyncStatusCode,
} from '@backstage-gitops/plugin-gitops-common';
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
      revision_message: status.revisionInfo?.message ?? null,
      revision_author: status.revisionInfo?.author ?? null,
      revision_date: status.revisionInfo?.date
        ? new Date(status.revisionInfo.date)
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

  /** Why automated sync is held back, if it is. */
  async readAutoSyncPause(name: string): Promise<AutoSyncPause | undefined> {
    const row = await this.knex<ApplicationStatusRow>('application_status')
      .where({ name })
      .first('auto_sync_paused');
    return row?.auto_sync_paused ? JSON.parse(row.auto_sync_paused) : undefined;
  }

  /**
   * Holds automated sync back (or, with undefined, lets it go again). An
   * application never compared gets an Unknown status row to carry it.
   */
  async writeAutoSyncPause(
    name: string,
    pause: AutoSyncPause | undefined,
  ): Promise<void> {
    const value = pause ? JSON.stringify(pause) : null;
    const updated = await this.knex<ApplicationStatusRow>('application_status')
      .where({ name })
      .update({ auto_sync_paused: value });
    if (updated === 0 && pause) {
      await this.knex<ApplicationStatusRow>('application_status')
        .insert({
          name,
          sync_status: 'Unknown',
          health_status: 'Unknown',
          revision: null,
          reconciled_at: new Date(),
          conditions: null,
          auto_sync_paused: value,
        })
        .onConflict('name')
        .merge(['auto_sync_paused']);
    }
  }

  /**
   * When each named application was last compared (epoch ms), by any
   * replica: what its next due time is counted from. Never compared: absent.
   */
  async readReconciledTimes(names: string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.knex<ApplicationStatusRow>('application_status')
        .whereIn('name', names.slice(i, i + 500))
        .select('name', 'reconciled_at');
      for (const row of rows) {
        result.set(row.name, new Date(row.reconciled_at).getTime());
      }
    }
    return result;
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
    ...(row.revision_message || row.revision_author
      ? {
          revisionInfo: {
            message: row.revision_message ?? '',
            author: row.revision_author ?? '',
            ...(row.revision_date
              ? { date: new Date(row.revision_date).toISOString() }
              : {}),
          },
        }
      : {}),
    ...(row.auto_sync_paused
      ? { autoSyncPaused: JSON.parse(row.auto_sync_paused) }
      : {}),
  };
}
