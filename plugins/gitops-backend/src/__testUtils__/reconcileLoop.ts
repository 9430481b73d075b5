import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { execFile } from 'child_process';
import { Knex } from 'knex';
import { join } from 'path';
import { promisify } from 'util';
import { ClusterClient } from '../cluster/ClusterClient';
import { createGitopsController } from '../controller/createGitopsController';
import { SyncLoopSettings } from '../engine/syncLoop';
import { RepositoryService } from '../repository';
import { SyncRequest } from '../sync/SyncService';

/** Everything a logger was given, errors with their message and stack. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  private record(level: string, message: string, meta?: unknown) {
    const extra =
      meta instanceof Error
        ? `${meta.message} ${meta.stack ?? ''}`
        : JSON.stringify(meta ?? null);
    this.lines.push(`${level} ${message} ${extra}`);
  }
  error(message: string, meta?: Error | object) {
    this.record('error', message, meta);
  }
  warn(message: string, meta?: Error | object) {
    this.record('warn', message, meta);
  }
  info(message: string, meta?: Error | object) {
    this.record('info', message, meta);
  }
  debug(message: string, meta?: Error | object) {
    this.record('debug', message, meta);
  }
  child(): LoggerService {
    return this;
  }
}

/** Runs kubectl against the test cluster, as a person would. */
export async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    join(process.env.GITOPS_TEST_BIN_DIR!, 'kubectl'),
    args,
    { env: { ...process.env, KUBECONFIG: process.env.GITOPS_TEST_KUBECONFIG } },
  );
  return stdout;
}

/**
 * The reconcile loop of plugin.ts, for one application, on a real database,
 * cluster and Git server: refresh, the automated sync it starts, and the
 * refresh that ends each sync. Only the scheduler is left out: the test calls
 * `refresh()` when the scheduler would.
 */
export async function createReconcileLoop(deps: {
  knex: Knex;
  app: () => ApplicationDefinition;
  cluster: ClusterClient;
  repository: RepositoryService;
  syncLoopSettings?: Partial<SyncLoopSettings>;
  /** Other applications the backend knows, sharing the database. */
  others?: () => ApplicationDefinition[];
}) {
  const applications = {
    readDefinitions: async () => ({
      applications: [deps.app(), ...(deps.others?.() ?? [])],
      problems: [],
    }),
  };
  const logger = new CapturingLogger();
  // Built as plugin.ts builds it; not started: the test calls refresh()
  // where the scheduler would.
  const controller = await createGitopsController({
    logger,
    auth: mockServices.auth(),
    scheduler: mockServices.scheduler.mock(),
    database: { getClient: async () => deps.knex } as DatabaseService,
    applications,
    repository: deps.repository,
    clientFor: () => deps.cluster,
    settings: {
      enabled: true,
      watch: false,
      interval: { seconds: 30 },
      concurrency: 1,
      syncLoops: deps.syncLoopSettings,
    },
  });
  const { reconciler, syncs, statuses, operations, resources } = controller;
  const name = () => deps.app().name;
  async function latestOperation() {
    const [latest] = (
      await operations.listOperations(name(), { offset: 0, limit: 1 })
    ).items;
    return latest;
  }
  /**
   * Waits until the newest operation has ended and the refresh that closes
   * it is stored (its reconciledAt is later than the operation's end).
   */
  async function settle(timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const latest = await latestOperation();
      const status = (await statuses.readStatuses([name()])).get(name());
      if (
        !latest ||
        (latest.finishedAt &&
          status?.reconciledAt &&
          Date.parse(status.reconciledAt) >= Date.parse(latest.finishedAt))
      ) {
        return;
      }
      if (Date.now() > deadline) throw new Error('the sync did not settle');
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  return {
    logger,
    statuses,
    operations,
    latestOperation,
    settle,
    /** A manual sync through SyncService, as the API starts one; settled. */
    async sync(request: SyncRequest = {}) {
      await syncs.start(deps.app(), request, 'user:default/tester');
      await settle();
      return (await latestOperation())!;
    },
    /** Every operation of the application, newest first. */
    async allOperations() {
      return (
        await operations.listOperations(name(), { offset: 0, limit: 1000 })
      ).items;
    },
    /** The Resources table as the last refresh stored it. */
    resources: () => resources.listResources(name()),
    /** A user's refresh: compare, store, maybe start an auto-sync. */
    refresh: () => reconciler.refresh(deps.app()),
    /** One pass of the poll loop over every application it knows. */
    refreshAll: () => reconciler.refreshAll(),
    repository: deps.repository,
    async status() {
      return (await statuses.readStatuses([name()])).get(name());
    },
  };
}
