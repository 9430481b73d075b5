import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ApplicationDefinition,
  OperationSummary,
} from '@internal/backstage-plugin-gitops-common';
import { randomUUID } from 'crypto';
import { ClusterClient } from '../cluster/ClusterClient';
import { OperationStore } from '../database/OperationStore';
import { RepositoryService } from '../repository';
import { compareApplication } from './compareApplication';
import { LiveState } from './liveState';
import { changedResources } from './recordComparison';
import { Reconciler, conditionFor } from './Reconciler';
import { syncApplication } from './syncApplication';
import { syncSettingsOf } from './syncSettings';
import { ProjectGuard } from './projectGuard';
import { createWorkLimiter, limitCalls } from './workLimiter';

// Renewed on every step; a backend that dies frees its applications this long
// after its last step, and its operations then end Failed.
const LEASE_TTL_MS = 2 * 60_000;

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
  reconciler: Pick<Reconciler, 'refresh'>;
  logger: LoggerService;
  /** AppProject rules and sync windows; every sync is checked against them. */
  projects?: ProjectGuard;
  /** Cluster calls in flight across all running syncs. Default 16. */
  callConcurrency?: number;
}) {
  const { operations, logger } = deps;
  const holder = randomUUID();
  // The lease keeps other backends out; it lets this one in again (same
  // holder), so two starts here at once (a refresh from the watch and one
  // after a sync, say) are kept apart in memory.
  const syncing = new Set<string>();
  const calls = createWorkLimiter(deps.callConcurrency ?? 16);

  async function run(
    app: ApplicationDefinition,
    operation: OperationSummary,
    request: SyncRequest,
    cluster: ClusterClient,
    comparison: Awaited<ReturnType<typeof compareApplication>>,
  ) {
    let terminate = false;
    try {
      await syncApplication({
        app: withRevision(app, request.revision),
        comparison,
        cluster,
        initiatedBy: operation.initiatedBy,
        options: {
          ...syncSettingsOf(app),
          prune: request.prune ?? false,
          dryRun: request.dryRun ?? false,
          resources: request.resources,
          automated: request.automated,
          allowEmpty: request.allowEmpty,
        },
        signal: { terminateRequested: () => terminate },
        onState: async state => {
          terminate = await operations.saveState(operation.id, state);
          await operations.tryAcquireLease(app.name, holder, LEASE_TTL_MS);
        },
      });
    } catch (error) {
      logger.error(`gitops: sync of ${app.name} failed`, error as Error);
      await operations.fail(
        operation.id,
        'Error',
        `The sync stopped: ${(error as Error).message}`,
      );
    } finally {
      await operations.releaseLease(app.name, holder);
      syncing.delete(app.name);
      await deps.reconciler.refresh(app).catch(error => {
        logger.warn(
          `gitops: refresh of ${app.name} after its sync failed`,
          error,
        );
      });
    }
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
      if (syncing.has(app.name)) throw busy;
      syncing.add(app.name);
      if (!(await operations.tryAcquireLease(app.name, holder, LEASE_TTL_MS))) {
        syncing.delete(app.name);
        throw busy;
      }
      let operation: OperationSummary | undefined;
      try {
        const cluster = deps.clientFor(app.destination.cluster);
        const comparison = await compareApplication({
          app: withRevision(app, request.revision),
          cluster,
          live: deps.liveFor?.(app.destination.cluster),
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
        operation = await operations.createOperation({
          application: app.name,
          initiatedBy,
          dryRun: request.dryRun ?? false,
          revision: comparison.revision,
        });
        // What the sync set out to change, for its history entry.
        await operations.saveDiff(operation.id, changedResources(comparison));
        const started = operation;
        run(
          app,
          started,
          request,
          limitCalls(cluster, calls),
          comparison,
        ).catch(error =>
          logger.error(`gitops: sync of ${app.name} ended badly`, error),
        );
        return started;
      } catch (error) {
        await operations.releaseLease(app.name, holder);
        syncing.delete(app.name);
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
