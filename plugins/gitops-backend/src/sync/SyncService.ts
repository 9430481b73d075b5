import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ApplicationDefinition,
  OperationSummary,
} from '@backstage-gitops/plugin-gitops-common';
import { randomUUID } from 'crypto';
import { ClusterClient } from '../cluster/ClusterClient';
import { OperationStore } from '../database/OperationStore';
import { RepositoryService } from '../repository';
import { compareApplication } from '../compare/compareApplication';
import { ComparisonMemo } from '../compare/comparisonMemo';
import { LiveState } from '../compare/liveState';
import { changedResources } from '../compare/recordComparison';
import { Reconciler, conditionFor } from '../scheduling/Reconciler';
import { SyncApplicationInput, syncApplication } from './syncApplication';
import { SyncOperationState } from '../engine/sync';
import { syncSettingsOf } from './syncSettings';
import { ProjectGuard } from '../projects/projectGuard';
import { createWorkLimiter, limitCalls } from '../scheduling/workLimiter';

// Renewed while a sync runs; a backend that dies frees its applications this
// long after its last renewal, and resumeSyncs then takes its operations over.
export const DEFAULT_LEASE_MS = 2 * 60_000;

/** This backend no longer holds the lease, or is stopping: leave the operation be. */
class Interrupted extends Error {}

/** What a sync run is given: the signal to stop, and where to store steps. */
export type SyncRunHooks = Pick<SyncApplicationInput, 'onState' | 'signal'>;

/** An interrupted operation, rebuilt and ready to run on (resumeSyncs.ts). */
export type AdoptedSync = {
  app: ApplicationDefinition;
  operation: OperationSummary;
  terminateRequested: boolean;
  run(hooks: SyncRunHooks): Promise<SyncOperationState>;
};

export type SyncRequest = {
  prune?: boolean;
  dryRun?: boolean;
  /** Selective sync: these resource keys only, and no hooks. */
  resources?: string[];
  /** Started by auto-sync, under the application's allowEmpty guard. */
  automated?: boolean;
  allowEmpty?: boolean;
  /**
   * A commit to deploy instead of the target revision (a rollback). The
   * status refreshed afterwards still compares with the target revision.
   */
  revision?: string;
};

/**
 * Starts sync operations. Each runs in the background on this backend under
 * the application's lease, so no two backends sync one application at once;
 * its every step is stored, and a terminate request stored by any backend
 * stops it between steps. The status is refreshed when it ends.
 */
export function createSyncService(deps: {
  operations: OperationStore;
  repository: RepositoryService;
  clientFor: (cluster: string) => ClusterClient;
  liveFor?: (cluster: string) => LiveState;
  /**
   * The refreshes' comparisons: a sync that starts on what the last refresh
   * compared (same manifests, same live resourceVersions) asks the API
   * server no dry run again.
   */
  comparisons?: ComparisonMemo;
  /** Refreshes after each sync, and reads the definition a retry obeys. */
  reconciler: Pick<Reconciler, 'refreshCurrent' | 'readDefinition'>;
  logger: LoggerService;
  /** AppProject rules and sync windows; every sync is checked against them. */
  projects?: ProjectGuard;
  /** Cluster calls in flight across all running syncs. Default 16. */
  callConcurrency?: number;
  /** How long a lease outlives its last renewal. Default 2 minutes. */
  leaseMs?: number;
}) {
  const { operations, logger } = deps;
  const holder = randomUUID();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  // Set at shutdown: running syncs stop between steps, unfinished, and
  // their leases are released so another backend resumes them at once.
  let stopping = false;
  const running = new Set<Promise<void>>();
  // The lease keeps other backends out; it lets this one in again (same
  // holder), so two starts here at once (a refresh from the watch and one
  // after a sync, say) are kept apart in memory.
  const syncing = new Set<string>();
  const calls = createWorkLimiter(deps.callConcurrency ?? 16);

  async function run(
    app: ApplicationDefinition,
    operation: OperationSummary,
    sync: (hooks: SyncRunHooks) => Promise<SyncOperationState>,
    terminateRequested = false,
  ) {
    let terminate = terminateRequested;
    let lost = false;
    // Renewed on a timer too: a step may wait minutes (a retry's backoff).
    // The last renewal is awaited before the release, or it could take the
    // lease again after it.
    let beat: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => {
      beat = operations
        .tryAcquireLease(app.name, holder, leaseMs)
        .then(held => {
          lost ||= !held;
        })
        .catch(() => undefined);
    }, leaseMs / 3);
    try {
      await sync({
        signal: {
          terminateRequested: () => terminate,
          interrupted: () => stopping || lost,
          refuseRetry: async state => {
            if (!state.options.automated) return undefined;
            // Unreadable definitions are not a reason to give up a retry.
            const current = await deps.reconciler
              .readDefinition(app.name)
              .catch(() => app);
            if (!current) return 'the application no longer exists';
            return current.syncPolicy?.automated
              ? undefined
              : 'automated sync is now off';
          },
        },
        onState: async state => {
          // Nothing is stored once another backend may have taken over.
          if (stopping) throw new Interrupted('the backend is stopping');
          if (!(await operations.tryAcquireLease(app.name, holder, leaseMs))) {
            lost = true;
            throw new Interrupted('another backend took the lease over');
          }
          terminate = await operations.saveState(operation.id, state);
        },
      });
    } catch (error) {
      if (error instanceof Interrupted) {
        logger.info(
          `gitops: sync of ${app.name} left to resume: ${error.message}`,
        );
      } else {
        logger.error(`gitops: sync of ${app.name} failed`, error as Error);
        await operations.fail(
          operation.id,
          'Error',
          `The sync stopped: ${(error as Error).message}`,
        );
      }
    } finally {
      clearInterval(heartbeat);
      await beat;
      await operations.releaseLease(app.name, holder);
      syncing.delete(app.name);
      // The definition as it is now, not as the sync started: the refresh
      // may start an automated sync, which only the current policy allows.
      if (!stopping) {
        await deps.reconciler.refreshCurrent(app.name).catch(error => {
          logger.warn(
            `gitops: refresh of ${app.name} after its sync failed`,
            error,
          );
        });
      }
    }
  }

  function inBackground(
    app: ApplicationDefinition,
    operation: OperationSummary,
    sync: (hooks: SyncRunHooks) => Promise<SyncOperationState>,
    terminateRequested?: boolean,
  ) {
    const done = run(app, operation, sync, terminateRequested)
      .catch(error =>
        logger.error(`gitops: sync of ${app.name} ended badly`, error),
      )
      .finally(() => running.delete(done));
    running.add(done);
  }

  /** The application's lease for this backend, unless a sync of it runs. */
  async function claim(name: string): Promise<boolean> {
    if (stopping || syncing.has(name)) return false;
    syncing.add(name);
    if (!(await operations.tryAcquireLease(name, holder, leaseMs))) {
      syncing.delete(name);
      return false;
    }
    return true;
  }

  async function unclaim(name: string) {
    await operations.releaseLease(name, holder);
    syncing.delete(name);
  }

  return {
    /** Starts a sync and answers at once with the operation. */
    async start(
      app: ApplicationDefinition,
      request: SyncRequest,
      initiatedBy: string,
    ): Promise<OperationSummary> {
      const gate = {
        manual: !request.automated,
        dryRun: request.dryRun ?? false,
      };
      // Source, destination and windows first: no lease, no render, if refused.
      const refused = await deps.projects?.refuseSync(app, gate);
      if (refused) {
        throw new ConflictError(`Sync of "${app.name}" refused: ${refused}`);
      }
      const busy = new ConflictError(
        `Application "${app.name}" is being synced already; wait for that operation or terminate it`,
      );
      if (!(await claim(app.name))) throw busy;
      let operation: OperationSummary | undefined;
      try {
        const cluster = deps.clientFor(app.destination.cluster);
        const live = deps.liveFor?.(app.destination.cluster);
        const comparison = await compareApplication({
          app: withRevision(app, request.revision),
          cluster,
          live,
          memo: deps.comparisons,
          repository: deps.repository,
        });
        // Then every resource the sync would apply, hooks included.
        const refusedResources = await deps.projects?.refuseSync(app, {
          ...gate,
          manifests: [...comparison.desired, ...comparison.hooks],
        });
        if (refusedResources) {
          throw new ConflictError(
            `Sync of "${app.name}" refused: ${refusedResources}`,
          );
        }
        // With the lease, nobody runs an unfinished operation of the app:
        // one left by a stopped backend that resumeSyncs has not taken yet.
        await operations.failUnfinished(
          app.name,
          'Interrupted when its backend stopped, and superseded by a newer sync before it could resume',
        );
        operation = await operations.createOperation({
          application: app.name,
          initiatedBy,
          dryRun: request.dryRun ?? false,
          revision: comparison.revision,
          selective: (request.resources?.length ?? 0) > 0,
        });
        // What the sync set out to change, for its history entry.
        await operations.saveDiff(operation.id, changedResources(comparison));
        const started = operation;
        inBackground(app, started, hooks =>
          syncApplication({
            ...hooks,
            app: withRevision(app, request.revision),
            comparison,
            cluster: limitCalls(cluster, calls),
            live,
            initiatedBy: started.initiatedBy,
            options: {
              ...syncSettingsOf(app),
              prune: request.prune ?? false,
              dryRun: request.dryRun ?? false,
              resources: request.resources,
              automated: request.automated,
              allowEmpty: request.allowEmpty,
            },
          }),
        );
        return started;
      } catch (error) {
        await unclaim(app.name);
        const condition = conditionFor(error);
        if (!condition) throw error;
        // A sync that cannot even start is history too, with the reason.
        operation = await operations.createOperation({
          application: app.name,
          initiatedBy,
          dryRun: request.dryRun ?? false,
        });
        await operations.fail(operation.id, 'Error', condition.message);
        return { ...operation, phase: 'Error', message: condition.message };
      }
    },

    /**
     * Takes over an interrupted operation of `application`: under its lease,
     * `prepare` rebuilds the operation (or ends it, answering undefined);
     * then it runs in the background like a started sync. False when the
     * lease is someone else's: they are running or resuming it.
     */
    async adopt(
      application: string,
      prepare: (
        cluster: (name: string) => ClusterClient,
      ) => Promise<AdoptedSync | undefined>,
    ): Promise<boolean> {
      if (!(await claim(application))) return false;
      let adopted: AdoptedSync | undefined;
      try {
        adopted = await prepare(name =>
          limitCalls(deps.clientFor(name), calls),
        );
      } finally {
        if (!adopted) await unclaim(application);
      }
      if (adopted) {
        inBackground(
          adopted.app,
          adopted.operation,
          adopted.run,
          adopted.terminateRequested,
        );
      }
      return true;
    },

    /** Stops running syncs between steps and leaves them to resume. */
    async stop() {
      stopping = true;
      await Promise.all([...running]);
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;

function withRevision(
  app: ApplicationDefinition,
  revision: string | undefined,
): ApplicationDefinition {
  return revision
    ? { ...app, source: { ...app.source, targetRevision: revision } }
    : app;
}
