import { createHash } from 'crypto';

/**
 * When each application is next compared, from the time it was last
 * compared (the stored `reconciledAt`, which every replica reads, so that
 * replicas agree without telling each other), and which shard it belongs
 * to. Pure: no clock, no database.
 */

/** Part of the interval by which applications are spread. */
export const JITTER_FRACTION = 0.1;

// A hash of the name, not of the process: every replica, and every restart,
// puts an application in the same shard and gives it the same jitter.
function hashOf(name: string): number {
  return createHash('sha1').update(name).digest().readUInt32BE(0);
}

/** The shard (0 … shards-1) an application is compared in. */
export function shardOf(name: string, shards: number): number {
  return hashOf(name) % Math.max(1, Math.floor(shards));
}

/**
 * How much later than the interval an application falls due: the same for
 * it every time, different between applications, so a fleet compared at
 * once (the first pass after a start) does not fall due at once forever.
 */
export function jitterMs(name: string, intervalMs: number): number {
  const unit = (hashOf(`jitter\0${name}`) % 10_000) / 10_000;
  return Math.floor(unit * intervalMs * JITTER_FRACTION);
}

/** When the application is next due; never compared: due at once. */
export function nextDueAt(
  name: string,
  lastComparedAt: number | undefined,
  intervalMs: number,
): number {
  if (lastComparedAt === undefined) return -Infinity;
  return lastComparedAt + intervalMs + jitterMs(name, intervalMs);
}

/**
 * The names due at `now`, the longest overdue first (so that a shard run
 * cut short by its timeout leaves the newest-compared for the next run).
 * `busy` ones are being compared on this replica already: their refresh
 * will push their due time out when it is stored.
 */
export function dueApplications(options: {
  names: string[];
  lastComparedAt: Map<string, number>;
  now: number;
  intervalMs: number;
  busy?: (name: string) => boolean;
}): string[] {
  const { now, intervalMs } = options;
  return options.names
    .filter(name => !options.busy?.(name))
    .map(name => ({
      name,
      due: nextDueAt(name, options.lastComparedAt.get(name), intervalMs),
    }))
    .filter(entry => entry.due <= now)
    .sort((a, b) => a.due - b.due || a.name.localeCompare(b.name))
    .map(entry => entry.name);
}

/**
 * How often each shard's task looks for due applications: a tenth of the
 * interval, between 1 and 15 seconds. An application is compared at most
 * this much later than it falls due.
 */
export function shardFrequencyMs(intervalMs: number): number {
  return Math.min(15_000, Math.max(1_000, Math.floor(intervalMs / 10)));
}
