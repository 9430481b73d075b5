import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { dueApplications, shardFrequencyMs, shardOf } from './dueTimes';

/** The Backstage scheduler task of one shard. */
export function shardTaskId(shard: number): string {
  return `gitops-refresh-shard-${shard}`;
}

/**
 * One task per shard on Backstage's scheduler. On a shared database the
 * scheduler gives each run of a task to one replica, whichever claims it
 * first, so replicas share the shards; a run's ticket expires after about
 * one interval, when a dead replica's shard passes to another (Backstage's
 * janitor frees expired tickets once a minute).
 */
export async function scheduleShards(options: {
  scheduler: SchedulerService;
  shards: number;
  intervalMs: number;
  run: (shard: number, signal: AbortSignal) => Promise<void>;
}): Promise<void> {
  const frequency = { milliseconds: shardFrequencyMs(options.intervalMs) };
  for (let shard = 0; shard < options.shards; shard++) {
    await options.scheduler.scheduleTask({
      id: shardTaskId(shard),
      frequency,
      timeout: { milliseconds: options.intervalMs },
      fn: signal => options.run(shard, signal),
    });
  }
}

/**
 * Compares the applications of one shard that are due, `concurrency` at a
 * time, the longest overdue first. Each refresh keeps to its time budget
 * (Reconciler.ts), so one slow application holds one worker for at most
 * that long. When the run is told to stop (its task's timeout, or
 * shutdown), it starts no more and returns at once, so that its ticket is
 * released; refreshes in flight finish on their own.
 */
export async function refreshDueApplications(options: {
  applications: ApplicationDefinition[];
  shard: number;
  shards: number;
  lastComparedAt: (names: string[]) => Promise<Map<string, number>>;
  refresh: (app: ApplicationDefinition) => Promise<unknown>;
  busy: (name: string) => boolean;
  intervalMs: number;
  concurrency: number;
  logger: LoggerService;
  signal?: AbortSignal;
  now?: () => number;
}): Promise<void> {
  const { signal, logger } = options;
  const mine = options.applications.filter(
    app => shardOf(app.name, options.shards) === options.shard,
  );
  if (mine.length === 0) return;
  const byName = new Map(mine.map(app => [app.name, app]));
  const queue = dueApplications({
    names: [...byName.keys()],
    lastComparedAt: await options.lastComparedAt([...byName.keys()]),
    now: (options.now ?? Date.now)(),
    intervalMs: options.intervalMs,
    busy: options.busy,
  });
  const stopped = abortPromise(signal);
  const worker = async () => {
    for (
      let name = queue.shift();
      name !== undefined && !signal?.aborted;
      name = queue.shift()
    ) {
      const app = byName.get(name)!;
      const done = options.refresh(app).catch(error => {
        // One broken application never stops the others.
        logger.error(`gitops: refresh of ${name} failed`, error as Error);
      });
      await Promise.race([done, stopped]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency) }, worker),
  );
}

function abortPromise(signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
