import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  AuditAction,
  AuditEntry,
  ListAuditResponse,
} from '@backstage-gitops/plugin-gitops-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { migrateUp } from './migrations';
import { AuditLogRow } from './tables';

/** What a caller records; id and time are the store's. */
export type AuditRecord = {
  application: string;
  action: AuditAction;
  actor: string;
  outcome: AuditEntry['outcome'];
  message?: string;
  /** Request options only: never manifests or secret values. */
  details?: Record<string, unknown>;
  at?: Date;
};

/**
 * The audit trail of actions on applications. Routes record every action
 * they are asked for (accepted or refused) with the Backstage user; other
 * features (rollback) call `record` the same way.
 */
export class AuditLog {
  static async create(options: {
    database: DatabaseService;
  }): Promise<AuditLog> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) await migrateUp(knex);
    return new AuditLog(knex);
  }

  constructor(private readonly knex: Knex) {}

  async record(entry: AuditRecord): Promise<AuditEntry> {
    const row: AuditLogRow = {
      id: randomUUID(),
      application: entry.application,
      action: entry.action,
      actor: entry.actor,
      outcome: entry.outcome,
      message: entry.message ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      at: entry.at ?? new Date(),
    };
    await this.knex<AuditLogRow>('audit_log').insert(row);
    return toEntry(row);
  }

  /** Newest first; the index on (application, at) serves it. */
  async list(
    application: string,
    page: { offset: number; limit: number },
  ): Promise<ListAuditResponse> {
    const rows = await this.knex<AuditLogRow>('audit_log')
      .where({ application })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .offset(page.offset)
      .limit(page.limit);
    const [{ count }] = await this.knex('audit_log')
      .where({ application })
      .count({ count: '*' });
    return { items: rows.map(toEntry), totalItems: Number(count) };
  }
}

function toEntry(row: AuditLogRow): AuditEntry {
  return {
    id: row.id,
    application: row.application,
    action: row.action as AuditAction,
    actor: row.actor,
    outcome: row.outcome as AuditEntry['outcome'],
    ...(row.message ? { message: row.message } : {}),
    ...(row.details ? { details: JSON.parse(row.details) } : {}),
    at: new Date(row.at).toISOString(),
  };
}
