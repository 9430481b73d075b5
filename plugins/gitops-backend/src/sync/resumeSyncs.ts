import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { ClusterClient } from '../cluster/ClusterClient';
import { OperationStore } from '../database/OperationStore';
import { restoreManifests } from '../engine/sync';
import { RepositoryService } from '../repository';
import {
  ApplicationComparison,
  compareApplication,
} from '../compare/compareApplication';
import { LiveState } from '../compare/liveState';
import { conditionFor } from '../scheduling/Reconciler';
import { DEFAULT_POLL_INTERVAL_MS, runSync } from './runSync';
import { AdoptedSync, SyncService } from './SyncService';
import { planOperation } from './syncApplication';
import { secretValuesOf } from './syncSecrets';

export type SyncResumerDeps = {
  operations: Pick<
    OperationStore,
    'listInterrupted' | 'readUnfinished' | 'fail'
  >;
  syncs: Pick<SyncService, 'adopt'>;
  /** Every application's definition, as the loop reads them. */
  readDefinitions: () => Promise<ApplicationDefinition[]>;
  repository: RepositoryService;
  liveFor?: (cluster: string) => LiveState;
  logger: LoggerService;
};

const CANNOT_RESUME = 'Interrupted when its backend stopped, and cannot resume';

/**
 * Takes over the operations whose backend stopped mid-sync (their lease
 * expired, or was released at shutdown). The stored state lacks its
 * manifests (they hold Secret data), so the operation's pinned revision is
 * rendered again through the same path a sync takes, re-planned with the
 * stored options and start time, and the stored state continues with the
 * manifests put back: finished tasks stay finished, actions in flight are
 * repeated. An operation that cannot resume ends Failed, the reason in words,
 * so none stays Running.
 */
export function createSyncResumer(deps: SyncResumerDeps) {
  const { operations, logger } = deps;

  async function prepare(
    id: string,
    application: string,
    clusterFor: (name: string) => ClusterClient,
  ): Promise<AdoptedSync | undefined> {
    // Read under the lease: it may have ended since it was listed.
    const unfinished = await operations.readUnfinished(id);
    if (!unfinished) return undefined;
    // The definition as it is now, also under the lease.
    const app = (await deps.readDefinitions()).find(
      definition => definition.name === application,
    );
    const end = async (reason: string) => {
      await operations.fail(id, 'Failed', `${CANNOT_RESUME}: ${reason}`);
      logger.info(`gitops: operation ${id} of ${application} ended: ${reason}`);
      return undefined;
    };
    const { state: stored, summary, terminateRequested } = unfinished;
    if (!app) return end(`application "${application}" no longer exists`);
    // A commit turned automated sync off since: nothing starts it again.
    if (stored.options.automated && !app.syncPolicy?.automated) {
      return end('it is an automated sync, and automated sync is now off');
    }
    if (!stored.tasks) return end('it stopped before its plan was stored');
    if (!stored.revision) return end('it has no revision to render again');
    try {
      const pinned = {
        ...app,
        source: { ...app.source, targetRevision: stored.revision },
      };
      const cluster = clusterFor(app.destination.cluster);
      const comparison = await compareApplication({
        app: pinned,
        cluster,
        live: deps.liveFor?.(app.destination.cluster),
        repository: deps.repository,
      });
      const replanned = await planOperation(
        {
          app: pinned,
          comparison: allOutOfSync(comparison),
          cluster,
          resuming: true,
        },
        stored.options,
        new Date(stored.startedAt),
      );
      const state = restoreManifests(stored, replanned);
      if (state instanceof Error) {
        const notes = comparison.conditions.map(c => `; ${c.message}`);
        return end(state.message + notes.join(''));
      }
      const secrets = secretValuesOf([
        ...comparison.desired,
        ...comparison.hooks,
      ]);
      logger.info(`gitops: resuming operation ${id} of ${application}`);
      return {
        app,
        operation: summary,
        terminateRequested,
        run: hooks =>
          runSync({
            ...hooks,
            state,
            cluster,
            secrets,
            now: () => new Date(),
            pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
          }),
      };
    } catch (error) {
      return end(
        conditionFor(error)?.message ??
          (error instanceof Error ? error.message : String(error)),
      );
    }
  }

  /** One pass: every interrupted operation is resumed or ended. */
  async function resumeInterrupted(): Promise<void> {
    const interrupted = await operations.listInterrupted();
    if (interrupted.length === 0) return;
    for (const { id, application } of interrupted) {
      try {
        await deps.syncs.adopt(application, clusterFor =>
          prepare(id, application, clusterFor),
        );
      } catch (error) {
        // The database failed us; the next pass tries again.
        logger.error(
          `gitops: cannot take over operation ${id} of ${application}`,
          error as Error,
        );
      }
    }
  }

  return { resumeInterrupted };
}

/**
 * Resumes interrupted syncs at startup and then on Backstage's scheduler, so
 * replicas share the work; twice per lease, at most every 30 seconds.
 */
export async function startResumingSyncs(
  deps: SyncResumerDeps & { scheduler: SchedulerService; leaseMs: number },
): Promise<void> {
  const resumer = createSyncResumer(deps);
  await deps.scheduler.scheduleTask({
    id: 'gitops-resume-syncs',
    frequency: {
      milliseconds: Math.min(30_000, Math.max(1_000, deps.leaseMs / 2)),
    },
    // A backend killed mid-pass holds the task this long.
    timeout: { minutes: 2 },
    fn: resumer.resumeInterrupted,
  });
}

// Every resource counts as OutOfSync, so ApplyOutOfSyncOnly plans a task for
// each: one the interrupted sync already applied is Synced by now.
function allOutOfSync(
  comparison: ApplicationComparison,
): ApplicationComparison {
  return {
    ...comparison,
    resources: comparison.resources.map(resource => ({
      ...resource,
      comparison: { ...resource.comparison, status: 'OutOfSync' },
    })),
  };
}
