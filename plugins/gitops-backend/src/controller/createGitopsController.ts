import {
  AuthService,
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import { randomUUID } from 'crypto';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { KubeConfig } from '@kubernetes/client-node';
import { ApplicationService } from '../applications/ApplicationService';
import { ArgoSource } from '../applications/argocd/ArgoSource';
import { DefinitionsIndex } from '../applications/DefinitionsIndex';
import { ClusterClient } from '../cluster/ClusterClient';
import { createLiveCaches } from '../cluster/liveCaches';
import { createComparisonMemo } from '../compare/comparisonMemo';
import { createSharedResources } from '../compare/sharedResources';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { LiveRefreshClaims } from '../database/LiveRefreshClaims';
import { OperationStore } from '../database/OperationStore';
import { ResourceStore } from '../database/ResourceStore';
import { SyncLoopStore } from '../database/SyncLoopStore';
import { SyncLoopSettings } from '../engine/syncLoop';
import { ProjectGuard } from '../projects/projectGuard';
import { HistorySettings } from '../readGitopsConfig';
import { RepositoryService } from '../repository';
import { createReconciler } from '../scheduling/Reconciler';
import { createApplicationFinalizer } from '../scheduling/finalizeApplications';
import { createDrainableScheduler } from '../scheduling/drainableScheduler';
import { startHousekeeping } from '../scheduling/housekeeping';
import { createLiveRefresher } from '../scheduling/liveRefresh';
import { startAutoSync } from '../sync/autoSync';
import { startResumingSyncs } from '../sync/resumeSyncs';
import { DEFAULT_LEASE_MS, createSyncService } from '../sync/SyncService';
import { createSyncLoopWatcher } from '../sync/syncLoops';

/** How long shutdown waits for scheduled runs to notice the abort. */
const SHUTDOWN_DRAIN_MS = 10_000;

export type GitopsControllerSettings = {
  /** Whether this backend compares on its own (the scheduled loops). */
  enabled: boolean;
  /** Watch destination clusters and refresh on live changes. */
  watch: boolean;
  interval: HumanDuration;
  /** Applications compared at once. */
  concurrency: number;
  /** Scheduler tasks the fleet is split into; default DEFAULT_SHARDS. */
  shards?: number;
  /** How long one refresh may take before it is abandoned. */
  refreshBudgetMs?: number;
  /** Cluster calls in flight across all running syncs. */
  syncCallConcurrency?: number;
  /** How long a sync's lease outlives its last renewal. */
  leaseMs?: number;
  syncLoops?: Partial<SyncLoopSettings>;
  /** Sync history retention; no housekeeping when absent. */
  history?: HistorySettings;
};

export type GitopsControllerOptions = {
  logger: LoggerService;
  auth: AuthService;
  scheduler: SchedulerService;
  database: DatabaseService;
  applications: Pick<ApplicationService, 'readDefinitions'>;
  repository: RepositoryService;
  /** Kubeconfig loaders of the declared clusters, for the watch caches. */
  clusters?: Map<string, () => KubeConfig>;
  clientFor: (cluster: string) => ClusterClient;
  /** AppProject rules and sync windows; every refresh and sync obeys them. */
  projects?: ProjectGuard;
  /** Application objects read from clusters, whose finalizers it runs. */
  argo?: Pick<ArgoSource, 'readDeleting'>;
  /** Tells which definitions changed: each one is refreshed at once. */
  definitions?: Pick<DefinitionsIndex, 'onChange'>;
  settings: GitopsControllerSettings;
};

/**
 * The controller, built in one place for the plugin, its tests and the
 * benchmarks: refreshes, syncs, automated sync, resume of interrupted
 * syncs, live refresh from the watch caches, Application finalizers and
 * housekeeping. Building it starts nothing; `start` schedules the loops and
 * `stop` leaves running syncs unfinished, their leases released, for
 * another backend to resume.
 */
export async function createGitopsController(options: GitopsControllerOptions) {
  const { logger, auth, database, applications, repository, clientFor } =
    options;
  const { settings } = options;
  const tasks = createDrainableScheduler(options.scheduler);
  const scheduler = tasks.scheduler;
  const statuses = await ApplicationStatusStore.create({ database });
  const resources = await ResourceStore.create({ database });
  const operations = await OperationStore.create({ database });
  const syncLoops = createSyncLoopWatcher({
    store: await SyncLoopStore.create({ database }),
    settings: settings.syncLoops,
  });

  async function readDefinitions(): Promise<ApplicationDefinition[]> {
    const credentials = await auth.getOwnServiceCredentials();
    return (await applications.readDefinitions(credentials)).applications;
  }

  // A refresh may start an automated sync, a sync ends with a refresh, and a
  // live change refreshes its application: the closures below name services
  // built after them, and run only once everything exists.
  const live =
    settings.watch && options.clusters
      ? createLiveCaches({
          clusters: options.clusters,
          clientFor,
          logger,
          // eslint-disable-next-line @typescript-eslint/no-use-before-define
          onChanges: (cluster, apps) => refresher?.notify(cluster, apps),
        })
      : undefined;
  // Refreshes and syncs share what they compared (comparisonMemo.ts).
  const comparisons = createComparisonMemo();
  const reconciler = createReconciler({
    logger,
    comparisons,
    scheduler,
    auth,
    applications,
    statuses,
    resources,
    repository,
    clientFor,
    liveFor: live?.liveFor,
    syncLoops,
    projects: options.projects,
    sharedResources: createSharedResources({ resources, applications, auth }),
    interval: settings.interval,
    concurrency: settings.concurrency,
    shards: settings.shards,
    refreshBudgetMs: settings.refreshBudgetMs,
    afterRefresh: (app, status) =>
      startAutoSync({
        app,
        status,
        readDefinition: reconciler.readDefinition,
        statuses,
        operations,
        // eslint-disable-next-line @typescript-eslint/no-use-before-define
        syncs,
        logger,
      }),
  });
  const syncs = createSyncService({
    logger,
    comparisons,
    operations,
    repository,
    clientFor,
    liveFor: live?.liveFor,
    reconciler,
    projects: options.projects,
    callConcurrency: settings.syncCallConcurrency,
    leaseMs: settings.leaseMs,
  });
  // A backend that does not compare on its own leaves live changes alone.
  // Every replica watches and sees each change; the one holding the
  // application's claim refreshes it (for an interval after its last
  // change), so a change is compared once, not once per replica.
  const claims = live
    ? await LiveRefreshClaims.create({ database })
    : undefined;
  const instance = randomUUID();
  const refresher =
    live && claims && settings.enabled
      ? createLiveRefresher({
          readDefinition: reconciler.readDefinition,
          refresh: app => reconciler.refresh(app, { background: true }),
          claim: name =>
            claims.tryClaim(
              name,
              instance,
              durationToMilliseconds(settings.interval),
            ),
          logger,
        })
      : undefined;

  return {
    reconciler,
    syncs,
    statuses,
    resources,
    operations,
    liveFor: live?.liveFor,
    /** The watch cache of one cluster, when watching. */
    cacheFor: live?.cacheFor,
    readDefinitions,

    /** Schedules the loops on Backstage's scheduler. */
    async start() {
      // Whether or not this backend compares: no operation may stay Running.
      await startResumingSyncs({
        logger,
        scheduler,
        operations,
        syncs,
        readDefinitions,
        repository,
        liveFor: live?.liveFor,
        leaseMs: settings.leaseMs ?? DEFAULT_LEASE_MS,
      });
      if (settings.enabled) {
        await reconciler.start();
        // Only the changed applications, not a pass over all of them.
        options.definitions?.onChange(names => {
          for (const name of names) {
            reconciler
              .refreshCurrent(name)
              .catch(error =>
                logger.warn(
                  `gitops: refresh of ${name} after its definition changed failed`,
                  error,
                ),
              );
          }
        });
        if (options.argo) {
          // Argo CD's controller runs an Application's finalizers; for the
          // Application objects read from a cluster, this backend is it.
          const finalizer = createApplicationFinalizer({
            argo: options.argo,
            clientFor,
            repository,
            operations,
            logger,
            holdMs: Math.max(
              settings.leaseMs ?? DEFAULT_LEASE_MS,
              3 * durationToMilliseconds(settings.interval),
            ),
          });
          await scheduler.scheduleTask({
            id: 'gitops-finalize-applications',
            frequency: settings.interval,
            timeout: { minutes: 10 },
            fn: () => finalizer.finalizeAll(),
          });
        }
      }
      if (settings.history) {
        await startHousekeeping({
          scheduler,
          database,
          logger,
          history: settings.history,
        });
      }
    },

    async stop() {
      refresher?.stop();
      await syncs.stop();
      // Released while the database is open, the run tickets of this
      // backend's tasks pass to another replica at once.
      await tasks.drain(SHUTDOWN_DRAIN_MS);
      await claims?.releaseAll(instance).catch(error => {
        logger.warn('gitops: could not release live refresh claims', error);
      });
      await live?.stop();
    },
  };
}

export type GitopsController = Awaited<
  ReturnType<typeof createGitopsController>
>;
