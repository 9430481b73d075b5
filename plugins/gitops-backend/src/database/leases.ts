import { Knex } from 'knex';

/**
 * Takes or renews a per-application lease for `holder` in a table of
 * (application, holder, expires_at) rows, unless another holder has one
 * that has not expired. One conditional upsert, so of two backends asking
 * at once exactly one wins: the database serialises the conflicting rows
 * and the loser's condition no longer holds. Sync leases and live refresh
 * claims are both such tables.
 */
export async function tryTakeLease(
  knex: Knex,
  table: 'application_leases' | 'live_refresh_claims',
  lease: { application: string; holder: string; ttlMs: number; now: Date },
): Promise<boolean> {
  const { application, holder, now } = lease;
  const expires = new Date(now.getTime() + lease.ttlMs);
  await knex(table)
    .insert({ application, holder, expires_at: expires })
    .onConflict('application')
    .merge(['holder', 'expires_at'])
    .where(q =>
      q
        .where(`${table}.holder`, holder)
        .orWhere(`${table}.expires_at`, '<=', now),
    );
  const row = await knex(table).where({ application }).first();
  return row?.holder === holder;
}
