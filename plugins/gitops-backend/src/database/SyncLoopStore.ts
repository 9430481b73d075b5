import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { EMPTY_SYNC_LOOP_STATE, SyncLoopState } from '../engine/syncLoop';
import { migrateUp } from './migrations';
import { SyncLoopRow } from './tables';

/** What sync-loop detection remembers between refreshes, per application. */
export class SyncLoopStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<SyncLoopStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) await migrateUp(knex);
    return new SyncLoopStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async read(application: string): Promise<SyncLoopState> {
    const row = await this.knex<SyncLoopRow>('sync_loops')
      .where({ application })
      .first();
    if (!row) return EMPTY_SYNC_LOOP_STATE;
    try {
      const parsed = JSON.parse(row.state) as SyncLoopState;
      return Array.isArray(parsed.fights) ? parsed : EMPTY_SYNC_LOOP_STATE;
    } catch {
      // Unreadable memory only means counting starts again.
      return EMPTY_SYNC_LOOP_STATE;
    }
  }

  /** Stores the state; an empty one removes the row. */
  async write(application: string, state: SyncLoopState): Promise<void> {
    if (state.fights.length === 0) {
      await this.knex('sync_loops').where({ application }).delete();
      return;
    }
    await this.knex<SyncLoopRow>('sync_loops')
      .insert({
        application,
        state: JSON.stringify(state),
        updated_at: new Date(),
      })
      .onConflict('application')
      .merge();
  }
}
