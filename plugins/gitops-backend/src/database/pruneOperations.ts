import { OperationPhase } from '@backstage-gitops/plugin-gitops-common';
import { Knex } from 'knex';
import { OperationRow } from './tables';

const FINISHED: OperationPhase[] = ['Failed', 'Error', 'Succeeded'];

/** How much sync history to keep; either bound may be absent. */
export type RetentionPolicy = {
  /** Finished operations kept per application, newest first. */
  limit?: number;
  /** Finished operations older than this (by end time) are deleted. */
  maxAgeMs?: number;
};

/**
 * Deletes finished operations beyond the policy. A running operation is
 * never deleted, however old. Written with plain queries both SQLite and
 * PostgreSQL run, one application at a time so no statement grows with the
 * size of the table.
 */
export async function pruneOperations(
  knex: Knex,
  policy: RetentionPolicy,
  now = new Date(),
): Promise<number> {
  let deleted = 0;
  if (policy.maxAgeMs !== undefined) {
    deleted += await knex<OperationRow>('operations')
      .whereIn('phase', FINISHED)
      .where('finished_at', '<', new Date(now.getTime() - policy.maxAgeMs))
      .delete();
  }
  if (policy.limit !== undefined) {
    const limit = Math.max(0, Math.floor(policy.limit));
    const crowded = await knex<OperationRow>('operations')
      .whereIn('phase', FINISHED)
      .groupBy('application')
      .having(knex.raw('count(*) > ?', [limit]))
      .select('application');
    for (const { application } of crowded) {
      const surplus = await knex<OperationRow>('operations')
        .where({ application })
        .whereIn('phase', FINISHED)
        .orderBy([
          { column: 'started_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .offset(limit)
        .limit(1000)
        .select('id');
      deleted += await knex<OperationRow>('operations')
        .whereIn(
          'id',
          surplus.map(row => row.id),
        )
        .delete();
    }
  }
  return deleted;
}
