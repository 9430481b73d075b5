import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { tryTakeLease } from './leases';
import { migrateUp } from './migrations';
import { LiveRefreshClaimRow } from './tables';

/**
 * Which backend replica refreshes an application after a live change. The
 * holder keeps the claim while it goes on seeing changes (each one renews
 * it); a claim left by a replica that died passes to another once it
 * expires. Until then the periodic comparison still covers the application.
 */
export class LiveRefreshClaims {
  static async create(options: {
    database: DatabaseService;
  }): Promise<LiveRefreshClaims> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) await migrateUp(knex);
    return new LiveRefreshClaims(knex);
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Takes or renews the claim for `holder` unless another holder has one
   * that has not expired. One conditional upsert, as the sync lease: of two
   * replicas asking at once exactly one wins.
   */
  async tryClaim(
    application: string,
    holder: string,
    ttlMs: number,
    now = new Date(),
  ): Promise<boolean> {
    return tryTakeLease(this.knex, 'live_refresh_claims', {
      application,
      holder,
      ttlMs,
      now,
    });
  }

  /** A stopping backend lets its claims go, for the others to take at once. */
  async releaseAll(holder: string): Promise<void> {
    await this.knex<LiveRefreshClaimRow>('live_refresh_claims')
      .where({ holder })
      .delete();
  }
}
