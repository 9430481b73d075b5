import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { eventually } from './gitopsTestBackend';

type Times = Pick<ApplicationStatusStore, 'readReconciledTimes'>;

/** Waits until each application has been compared at least once. */
export async function allComparedOnce(
  statuses: Times,
  names: string[],
): Promise<void> {
  await eventually(
    async () =>
      (await statuses.readReconciledTimes(names)).size === names.length
        ? true
        : undefined,
    'every application to be compared once',
    300,
  );
}

/**
 * How many comparisons of each application are seen in `ms`, from the
 * stored reconciledAt times (the first value seen is the one before).
 */
export async function comparisonsSeen(
  statuses: Times,
  names: string[],
  ms: number,
): Promise<Record<string, number>> {
  const seen = new Map(names.map(name => [name, new Set<number>()]));
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const times = await statuses.readReconciledTimes(names);
    for (const [name, at] of times) seen.get(name)!.add(at);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return Object.fromEntries(
    [...seen].map(([name, times]) => [name, times.size]),
  );
}
