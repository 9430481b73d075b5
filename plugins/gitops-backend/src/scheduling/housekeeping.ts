import {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { durationToMilliseconds } from '@backstage/types';
import { RetentionPolicy, pruneOperations } from '../database/pruneOperations';
import { HistorySettings } from '../readGitopsConfig';

/** The retention policy of `gitops.history`, in milliseconds. */
export function retentionPolicy(history: HistorySettings): RetentionPolicy {
  return {
    limit: history.limit,
    maxAgeMs: history.maxAge
      ? durationToMilliseconds(history.maxAge)
      : undefined,
  };
}

/**
 * Deletes sync history beyond `gitops.history` on Backstage's scheduler, so
 * one backend of several does it at a time. The audit trail is not touched.
 */
export async function startHousekeeping(deps: {
  scheduler: SchedulerService;
  database: DatabaseService;
  logger: LoggerService;
  history: HistorySettings;
}): Promise<void> {
  const policy = retentionPolicy(deps.history);
  await deps.scheduler.scheduleTask({
    id: 'gitops-housekeeping',
    frequency: { minutes: 10 },
    timeout: { minutes: 5 },
    fn: async () => {
      const deleted = await pruneOperations(
        await deps.database.getClient(),
        policy,
      );
      if (deleted) {
        deps.logger.info(
          `gitops: deleted ${deleted} operations beyond the history limits`,
        );
      }
    },
  });
}
