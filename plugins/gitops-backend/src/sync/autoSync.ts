import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ApplicationDefinition,
  ApplicationStatus,
  AutoSyncPause,
  OperationSummary,
  isWarningCondition,
} from '@backstage-gitops/plugin-gitops-common';
import { OperationStore } from '../database/OperationStore';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { SyncService } from './SyncService';

/**
 * Whether a refresh should start an automated sync, as Argo CD decides it:
 * only for an automated policy, only when OutOfSync and comparable, and once
 * per revision unless selfHeal asks to undo every drift.
 */
export function shouldAutoSync(input: {
  app: ApplicationDefinition;
  status: ApplicationStatus;
  lastAutoSyncRevision?: string;
  /** The application's newest operation, if any. */
  lastOperation?: Pick<OperationSummary, 'revision' | 'phase'>;
}): boolean {
  const { app, status, lastAutoSyncRevision, lastOperation } = input;
  const automated = app.syncPolicy?.automated;
  if (!automated || status.sync !== 'OutOfSync' || !status.revision) {
    return false;
  }
  const conditions = status.conditions ?? [];
  // A render or placement error would sync a partial application.
  if (conditions.some(c => !isWarningCondition(c) && c.type !== 'SyncLoop')) {
    return false;
  }
  if (status.revision !== lastAutoSyncRevision) return true;
  // A sync loop stops selfHeal only: a new revision above still syncs once.
  if (conditions.some(c => c.type === 'SyncLoop')) return false;
  // Self-heal undoes drift, but a revision whose sync just failed is not
  // synced again and again (Argo CD neither): the retry policy is for that.
  const failedHere =
    lastOperation?.revision === status.revision &&
    lastOperation.phase !== 'Succeeded';
  return automated.selfHeal && !failedHere;
}

/**
 * What a rollback's pause means at Git's current revision: `hold` while Git
 * is where it was at the rollback (so the rolled-back revision is not
 * redeployed), `record` the revision the first time it is seen, `resume` once
 * Git has moved on.
 */
export function pauseDecision(
  pause: AutoSyncPause,
  gitRevision: string | undefined,
): 'hold' | 'record' | 'resume' {
  if (!gitRevision || pause.gitRevision === gitRevision) return 'hold';
  return pause.gitRevision ? 'resume' : 'record';
}

/**
 * Whether `compared` (the definition a status was computed from) still
 * describes what `current` deploys; a policy change alone does not matter.
 */
function sameTarget(
  compared: ApplicationDefinition,
  current: ApplicationDefinition,
): boolean {
  const target = (app: ApplicationDefinition) =>
    JSON.stringify([app.source, app.destination, app.ignoreDifferences]);
  return target(compared) === target(current);
}

/**
 * Starts the automated sync a refreshed status calls for, if any. The
 * decision reads the application's current definition: the one the status
 * was computed from may be older (held by a sync since it started), and a
 * commit that turned `automated` off stops automated syncs at once.
 */
export async function startAutoSync(deps: {
  app: ApplicationDefinition;
  status: ApplicationStatus;
  /** The application's definition now; undefined when it is gone. */
  readDefinition: (name: string) => Promise<ApplicationDefinition | undefined>;
  statuses: ApplicationStatusStore;
  operations: Pick<OperationStore, 'listOperations'>;
  syncs: Pick<SyncService, 'start'>;
  logger: LoggerService;
}): Promise<void> {
  const { status, statuses } = deps;
  const { name } = deps.app;
  const pause = await statuses.readAutoSyncPause(name);
  if (pause) {
    const decision = pauseDecision(pause, status.revision);
    if (decision === 'hold') return;
    if (decision === 'record') {
      await statuses.writeAutoSyncPause(name, {
        ...pause,
        gitRevision: status.revision,
      });
      return;
    }
    deps.logger.info(
      `gitops: Git moved past the rollback of ${name}; automated sync resumes`,
    );
    await statuses.writeAutoSyncPause(name, undefined);
  }
  if (!deps.app.syncPolicy?.automated || status.sync !== 'OutOfSync') return;
  const app = await deps.readDefinition(name);
  // Gone, or no longer automated; or it now deploys something else, which
  // this status does not describe: the refresh of that definition decides.
  if (!app?.syncPolicy?.automated || !sameTarget(deps.app, app)) return;
  const lastAutoSyncRevision = await statuses.readAutoSyncRevision(app.name);
  const [lastOperation] = (
    await deps.operations.listOperations(app.name, { offset: 0, limit: 1 })
  ).items;
  if (!shouldAutoSync({ app, status, lastAutoSyncRevision, lastOperation })) {
    return;
  }
  const automated = app.syncPolicy!.automated!;
  // Recorded before starting: a failing sync of this revision is not retried
  // on every refresh (the retry policy does that, within one operation).
  await statuses.writeAutoSyncRevision(app.name, status.revision!);
  try {
    await deps.syncs.start(
      app,
      {
        prune: automated.prune,
        automated: true,
        allowEmpty: automated.allowEmpty,
      },
      'automated',
    );
  } catch (error) {
    // Someone else is syncing it: that sync's own refresh will decide again.
    if (error instanceof ConflictError) return;
    deps.logger.error(
      `gitops: automated sync of ${app.name} did not start`,
      error as Error,
    );
  }
}
