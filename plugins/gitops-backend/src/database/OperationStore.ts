import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  OperationDetail,
  OperationPhase,
  ResourceDiff,
  OperationSummary,
  OperationTask,
} from '@backstage-gitops/plugin-gitops-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { SyncOperationState } from '../engine/sync';
import { tryTakeLease } from './leases';
import { migrateUp } from './migrations';
import { ApplicationLeaseRow, OperationRow } from './tables';

const FINISHED: OperationPhase[] = ['Failed', 'Error', 'Succeeded'];

/** Sync operations, and the lease that lets one backend sync an application. */
export class OperationStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<OperationStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) await migrateUp(knex);
    return new OperationStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Takes the application's lease for `holder` unless another holder has it
   * and it has not expired. One conditional upsert, so of two backends asking
   * at once exactly one wins: the database serialises the conflicting rows
   * and the loser's condition no longer holds.
   */
  async tryAcquireLease(
    application: string,
    holder: string,
    ttlMs: number,
    now = new Date(),
  ): Promise<boolean> {
    return tryTakeLease(this.knex, 'application_leases', {
      application,
      holder,
      ttlMs,
      now,
    });
  }

  async releaseLease(application: string, holder: string): Promise<void> {
    await this.knex<ApplicationLeaseRow>('application_leases')
      .where({ application, holder })
      .delete();
  }

  async createOperation(input: {
    application: string;
    initiatedBy: string;
    dryRun: boolean;
    revision?: string;
    startedAt?: Date;
    /** Chosen resources only (a selective sync). */
    selective?: boolean;
  }): Promise<OperationSummary> {
    const row: OperationRow = {
      id: randomUUID(),
      application: input.application,
      phase: 'Running',
      initiated_by: input.initiatedBy,
      revision: input.revision ?? null,
      dry_run: input.dryRun,
      message: null,
      started_at: input.startedAt ?? new Date(),
      finished_at: null,
      terminate_requested: false,
      selective: input.selective ?? false,
      state: '{}',
    };
    await this.knex<OperationRow>('operations').insert(row);
    return toSummary(row);
  }

  /**
   * Stores a step's state. Manifests are dropped: they hold Secret data; an
   * operation that outlives its backend renders them again from its revision
   * (resumeSyncs.ts).
   * Answers whether a user asked to terminate it meanwhile.
   */
  async saveState(id: string, state: SyncOperationState): Promise<boolean> {
    const stripped = {
      ...state,
      tasks: state.tasks.map(({ manifest: _manifest, ...task }) => task),
    };
    await this.knex<OperationRow>('operations')
      .where({ id })
      .update({
        phase: state.phase,
        message: state.message || null,
        finished_at: state.finishedAt ? new Date(state.finishedAt) : null,
        state: JSON.stringify(stripped),
      });
    const row = await this.knex<OperationRow>('operations')
      .where({ id })
      .first('terminate_requested');
    return Boolean(row?.terminate_requested);
  }

  /** Keeps the masked diffs a sync set out to apply, for its history. */
  async saveDiff(id: string, diffs: ResourceDiff[]): Promise<void> {
    await this.knex<OperationRow>('operations')
      .where({ id })
      .update({ diff: JSON.stringify(diffs) });
  }

  /** The diffs an operation set out to apply; undefined if none were kept. */
  async getDiff(
    application: string,
    id: string,
  ): Promise<ResourceDiff[] | undefined> {
    const row = await this.knex<OperationRow>('operations')
      .where({ application, id })
      .first('diff');
    return row?.diff ? JSON.parse(row.diff) : undefined;
  }

  /** Ends an operation that could not run at all, with the reason. */
  async fail(id: string, phase: 'Failed' | 'Error', message: string) {
    await this.knex<OperationRow>('operations')
      .where({ id })
      .update({ phase, message, finished_at: new Date() });
  }

  async requestTermination(application: string, id: string): Promise<boolean> {
    const updated = await this.knex<OperationRow>('operations')
      .where({ application, id })
      .whereNotIn('phase', FINISHED)
      .update({ terminate_requested: true });
    return updated > 0;
  }

  async getOperation(
    application: string,
    id: string,
  ): Promise<OperationDetail | undefined> {
    const row = await this.knex<OperationRow>('operations')
      .where({ application, id })
      .first();
    if (!row) return undefined;
    const state = JSON.parse(row.state) as Partial<SyncOperationState>;
    return { ...toSummary(row), tasks: (state.tasks ?? []).map(toTask) };
  }

  /**
   * Whether an operation synced chosen resources only. Argo CD records no
   * history entry for such a sync, "and so rollback is not possible".
   */
  async isSelective(application: string, id: string): Promise<boolean> {
    const row = await this.knex<OperationRow>('operations')
      .where({ application, id })
      .first('selective');
    return Boolean(row?.selective);
  }

  /** Newest first, from the summary columns only. */
  async listOperations(
    application: string,
    page: { offset: number; limit: number },
  ): Promise<{ items: OperationSummary[]; totalItems: number }> {
    const rows = await this.knex<OperationRow>('operations')
      .where({ application })
      .orderBy('started_at', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .select(
        'id',
        'application',
        'phase',
        'initiated_by',
        'revision',
        'dry_run',
        'selective',
        'message',
        'started_at',
        'finished_at',
      );
    const [{ count }] = await this.knex('operations')
      .where({ application })
      .count({ count: '*' });
    return { items: rows.map(toSummary), totalItems: Number(count) };
  }

  /** The newest operation that changed something, if any. */
  async lastSync(application: string): Promise<OperationSummary | undefined> {
    const row = await this.knex<OperationRow>('operations')
      .where({ application, dry_run: false })
      .orderBy('started_at', 'desc')
      .first(
        'id',
        'application',
        'phase',
        'initiated_by',
        'revision',
        'dry_run',
        'selective',
        'message',
        'started_at',
        'finished_at',
      );
    return row ? toSummary(row) : undefined;
  }

  /**
   * Operations whose backend is gone: not finished, while nobody holds the
   * application's lease. Oldest first; resumeSyncs takes each one over.
   */
  async listInterrupted(
    now = new Date(),
  ): Promise<{ id: string; application: string }[]> {
    const live = this.knex<ApplicationLeaseRow>('application_leases')
      .where('expires_at', '>', now)
      .select('application');
    return this.knex<OperationRow>('operations')
      .whereNotIn('phase', FINISHED)
      .whereNotIn('application', live)
      .orderBy('started_at', 'asc')
      .select('id', 'application');
  }

  /** Whether an operation of the application is still running. */
  async hasUnfinished(application: string): Promise<boolean> {
    const row = await this.knex<OperationRow>('operations')
      .where({ application })
      .whereNotIn('phase', FINISHED)
      .first('id');
    return Boolean(row);
  }

  /** The stored state of an unfinished operation (manifests stripped). */
  async readUnfinished(id: string): Promise<
    | {
        summary: OperationSummary;
        state: SyncOperationState;
        terminateRequested: boolean;
      }
    | undefined
  > {
    const row = await this.knex<OperationRow>('operations')
      .where({ id })
      .whereNotIn('phase', FINISHED)
      .first();
    if (!row) return undefined;
    return {
      summary: toSummary(row),
      state: JSON.parse(row.state),
      terminateRequested: Boolean(row.terminate_requested),
    };
  }

  /**
   * Ends every unfinished operation of an application, with the reason. For
   * the holder of its lease only: then no backend is running them.
   */
  async failUnfinished(application: string, message: string): Promise<number> {
    return this.knex<OperationRow>('operations')
      .where({ application })
      .whereNotIn('phase', FINISHED)
      .update({ phase: 'Failed', message, finished_at: new Date() });
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

function toSummary(row: Partial<OperationRow>): OperationSummary {
  return {
    id: row.id!,
    application: row.application!,
    phase: row.phase as OperationPhase,
    initiatedBy: row.initiated_by!,
    ...(row.revision ? { revision: row.revision } : {}),
    dryRun: Boolean(row.dry_run),
    ...(row.selective ? { selective: true } : {}),
    ...(row.message ? { message: row.message } : {}),
    startedAt: iso(row.started_at!),
    ...(row.finished_at ? { finishedAt: iso(row.finished_at) } : {}),
  };
}

function toTask(task: SyncOperationState['tasks'][number]): OperationTask {
  return {
    key: task.key,
    kind: task.kind,
    namespace: task.namespace,
    name: task.name,
    syncPhase: task.syncPhase,
    wave: task.wave,
    isHook: task.isHook,
    hookType: task.hookType,
    action: task.action,
    status: task.status,
    hookPhase: task.hookPhase,
    health: task.health,
    message: task.message,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
  };
}
