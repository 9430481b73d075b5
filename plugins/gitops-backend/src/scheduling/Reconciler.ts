import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  ApplicationCondition,
  ApplicationDefinition,
  ApplicationStatus,
} from '@backstage-gitops/plugin-gitops-common';
import { ApplicationService } from '../applications/ApplicationService';
import { ClusterClient } from '../cluster/ClusterClient';
import { ClusterUnreachableError } from '../cluster/kubeRequest';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { RepositoryService, isRepositoryError } from '../repository';
import { ClusterConfigError } from '../cluster/clusters';
import { ResourceStore } from '../database/ResourceStore';
import { compareApplication } from '../compare/compareApplication';
import { LiveState } from '../compare/liveState';
import {
  ComparisonMemo,
  createComparisonMemo,
} from '../compare/comparisonMemo';
import { createOneAtATime } from './oneAtATime';
import { SyncLoopWatcher } from '../sync/syncLoops';
import { ProjectGuard } from '../projects/projectGuard';
import { coalesceByKey, createWorkLimiter } from './workLimiter';
import { describeRevision, storedResources } from '../compare/recordComparison';
import { urlCredentialConditions } from '../applications/urlCredentials';
import { SharedResources } from '../compare/sharedResources';
import { refreshDueApplications, scheduleShards } from './refreshShards';
import { shardFrequencyMs } from './dueTimes';
import {
  AbandonedError,
  Budget,
  overrunCondition,
  withinBudget,
} from './timeBudget';

/** Shards of the fleet, when the config names none. */
export const DEFAULT_SHARDS = 6;
/** How long one application's refresh may take, when the config says not. */
export const DEFAULT_REFRESH_BUDGET_MS = 120_000;

export type RefreshOptions = {
  /** Drop every cache of the application first (Argo CD's hard refresh). */
  hard?: boolean;
  /** Nobody waits for it: a recent answer of Git will do. */
  background?: boolean;
};

export type ReconcilerOptions = {
  logger: LoggerService;
  scheduler: SchedulerService;
  auth: AuthService;
  applications: Pick<ApplicationService, 'readDefinitions'>;
  statuses: ApplicationStatusStore;
  /** Where each comparison's per-resource state goes, for the UI. */
  resources?: Pick<ResourceStore, 'replaceResources'>;
  repository: RepositoryService;
  clientFor: (cluster: string) => ClusterClient;
  /** The destination cluster's watch cache; direct reads when absent. */
  liveFor?: (cluster: string) => LiveState;
  /** Called with every stored status, e.g. to start an automated sync. */
  afterRefresh?: (
    app: ApplicationDefinition,
    status: ApplicationStatus,
  ) => Promise<void>;
  /** Finds selfHeal fights with another field manager (sync loops). */
  syncLoops?: Pick<SyncLoopWatcher, 'observe'>;
  /** How long after its last comparison an application is compared again. */
  interval: HumanDuration;
  /** Applications compared at once; the rest wait their turn. */
  concurrency: number;
  /** Scheduler tasks the fleet is split into (by a hash of the name). */
  shards?: number;
  /** How long one refresh may take before it is abandoned, in words. */
  refreshBudgetMs?: number;
  /** AppProject rules, shown as conditions on every refresh. */
  projects?: ProjectGuard;
  /** Other applications rendering the same objects (SharedResourceWarning). */
  sharedResources?: SharedResources;
  /** Comparisons kept between refreshes; one of its own when not given. */
  comparisons?: ComparisonMemo;
};

/**
 * Keeps every application's stored status current: each application is
 * compared again one interval (plus its jitter) after its stored
 * `reconciledAt`, by the scheduler task of its shard (so replicas share the
 * shards), and on demand for one application (refresh), which pushes its
 * next comparison out by one interval. Syncs are started by SyncService.
 */
export function createReconciler(options: ReconcilerOptions) {
  const { logger, statuses, repository, clientFor } = options;
  // A steady refresh reuses each unchanged resource's comparison instead of
  // asking the API server for a dry run (comparisonMemo.ts).
  const comparisons = options.comparisons ?? createComparisonMemo();
  const intervalMs = durationToMilliseconds(options.interval);
  const shards = Math.max(1, Math.floor(options.shards ?? DEFAULT_SHARDS));
  const budgetMs = options.refreshBudgetMs ?? DEFAULT_REFRESH_BUDGET_MS;

  // The loop, syncs, the API, webhooks and the watch all refresh: one at a
  // time per application, so the last status stored is the newest
  // (oneAtATime.ts); at most `concurrency` compare at once; and a request
  // for an application whose refresh still waits for its turn joins it.
  const oneAtATime = createOneAtATime();
  const compareSlots = createWorkLimiter(options.concurrency);
  const refreshQueue = coalesceByKey<ApplicationStatus>((key, work) =>
    oneAtATime(key.split('\0')[0], () => compareSlots.run(work)),
  );

  // Applications with a refresh queued or running here: a shard run leaves
  // them alone, their refresh will store a new reconciledAt.
  const inFlight = new Map<string, number>();

  function refresh(
    app: ApplicationDefinition,
    refreshOptions: RefreshOptions = {},
  ): Promise<ApplicationStatus> {
    inFlight.set(app.name, (inFlight.get(app.name) ?? 0) + 1);
    let kind = refreshOptions.background ? 'background' : 'soft';
    if (refreshOptions.hard) kind = 'hard';
    const run = refreshQueue(`${app.name}\0${kind}`, () =>
      withinBudget(
        budgetMs,
        budget => compareAndStore(app, refreshOptions, budget),
        () => storeOverrun(app),
      ),
    );
    const forget = () => {
      const left = (inFlight.get(app.name) ?? 1) - 1;
      if (left > 0) inFlight.set(app.name, left);
      else inFlight.delete(app.name);
    };
    run.then(forget, forget);
    return run;
  }

  // An abandoned refresh says so on the application; it is due again one
  // interval later, and the comparison it left goes on to warm the caches.
  async function storeOverrun(
    app: ApplicationDefinition,
  ): Promise<ApplicationStatus> {
    const condition = overrunCondition(budgetMs);
    logger.warn(`gitops: refresh of ${app.name}: ${condition.message}`);
    const status: ApplicationStatus = {
      sync: 'Unknown',
      health: 'Unknown',
      reconciledAt: new Date().toISOString(),
      conditions: [condition, ...urlCredentialConditions(app)],
    };
    await statuses.writeStatus(app.name, status);
    return status;
  }

  async function compareAndStore(
    app: ApplicationDefinition,
    refreshOptions: RefreshOptions,
    budget: Budget,
  ): Promise<ApplicationStatus> {
    const reconciledAt = new Date().toISOString();
    let status: ApplicationStatus;
    try {
      const result = await compareApplication({
        app,
        repository,
        cluster: clientFor(app.destination.cluster),
        live: options.liveFor?.(app.destination.cluster),
        memo: comparisons,
        hard: refreshOptions.hard,
        background: refreshOptions.background,
      });
      const projectConditions =
        (await options.projects?.conditions(app, [
          ...result.desired,
          ...result.hooks,
        ])) ?? [];
      const revisionInfo = await describeRevision({
        app,
        revision: result.revision,
        repository,
        logger,
      });
      status = {
        sync: result.sync,
        health: result.health,
        revision: result.revision,
        reconciledAt,
        // A broken project rule comes first: it is why nothing may sync.
        conditions: distinct([
          ...projectConditions,
          ...result.conditions,
          ...((await options.sharedResources?.conditions(app, result)) ?? []),
          ...((await options.syncLoops?.observe(app, result)) ?? []),
          ...urlCredentialConditions(app),
        ]),
        ...(revisionInfo ? { revisionInfo } : {}),
      };
      if (!budget.commit()) throw new AbandonedError();
      await options.resources?.replaceResources(
        app.name,
        storedResources(result),
      );
    } catch (error) {
      const condition = conditionFor(error);
      if (!condition || !budget.commit()) throw error;
      status = {
        sync: 'Unknown',
        health: 'Unknown',
        reconciledAt,
        conditions: [condition, ...urlCredentialConditions(app)],
      };
    }
    await statuses.writeStatus(app.name, status);
    await options.afterRefresh?.(app, status);
    return status;
  }

  async function readAll(): Promise<ApplicationDefinition[]> {
    const credentials = await options.auth.getOwnServiceCredentials();
    return (await options.applications.readDefinitions(credentials))
      .applications;
  }

  /**
   * The application's definition as its sources say now, or undefined when
   * it is gone. Every automated decision reads it at the time it decides: a
   * definition held since a sync started may have lost its automated policy.
   */
  async function readDefinition(
    name: string,
  ): Promise<ApplicationDefinition | undefined> {
    return (await readAll()).find(app => app.name === name);
  }

  // Every shard run lists the fleet: the shards of one replica share one
  // reading for a shard period instead of asking every source each time.
  let listing:
    | { at: number; applications: Promise<ApplicationDefinition[]> }
    | undefined;
  function listForShards(): Promise<ApplicationDefinition[]> {
    const now = Date.now();
    if (!listing || now - listing.at >= shardFrequencyMs(intervalMs)) {
      listing = { at: now, applications: readAll() };
      // A failed reading is not kept: the next run reads again.
      listing.applications.catch(() => {
        listing = undefined;
      });
    }
    return listing.applications;
  }

  /** The due applications of one shard (its scheduled task's run). */
  async function refreshShard(
    shard: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const applications = await listForShards();
    // Comparisons of applications that are gone are dropped.
    comparisons.keepApplications(applications.map(app => app.name));
    await refreshDueApplications({
      applications,
      shard,
      shards,
      lastComparedAt: names => statuses.readReconciledTimes(names),
      refresh: app => refresh(app, { background: true }),
      busy: name => inFlight.has(name),
      intervalMs,
      concurrency: options.concurrency,
      logger,
      signal,
    });
  }

  /**
   * Every application at once, due or not: what the benchmarks time. An
   * aborted pass starts no more.
   */
  async function refreshAll(signal?: AbortSignal): Promise<void> {
    const applications = await readAll();
    comparisons.keepApplications(applications.map(app => app.name));
    const queue = [...applications];
    const worker = async () => {
      for (
        let app = queue.shift();
        app && !signal?.aborted;
        app = queue.shift()
      ) {
        try {
          await refresh(app, { background: true });
        } catch (error) {
          // One broken application never stops the others.
          logger.error(`gitops: refresh of ${app.name} failed`, error as Error);
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, options.concurrency) }, worker),
    );
  }

  return {
    refresh,
    refreshAll,
    refreshShard,
    readDefinition,
    shards,
    /** Refreshes the application's current definition, if it still exists. */
    async refreshCurrent(name: string): Promise<ApplicationStatus | undefined> {
      const app = await readDefinition(name);
      return app ? refresh(app) : undefined;
    },
    /** One scheduler task per shard. */
    async start() {
      await scheduleShards({
        scheduler: options.scheduler,
        shards,
        intervalMs,
        run: refreshShard,
      });
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;

// A shared object is found from both sides (the live tracking id, the other
// application's comparison) with the same words: shown once.
function distinct(conditions: ApplicationCondition[]): ApplicationCondition[] {
  const seen = new Set<string>();
  return conditions.filter(c => {
    const id = `${c.type}\0${c.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Errors that describe the application or its surroundings, in words. */
export function conditionFor(error: unknown): ApplicationCondition | undefined {
  if (isRepositoryError(error)) {
    return { type: 'ComparisonError', message: error.message };
  }
  if (error instanceof ClusterUnreachableError) {
    return { type: 'ComparisonError', message: error.message };
  }
  if (error instanceof ClusterConfigError) {
    return { type: 'InvalidSpecError', message: error.message };
  }
  return undefined;
}
