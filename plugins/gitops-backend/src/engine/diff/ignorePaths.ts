import { Manifest } from '../manifest';
import { cloneJson, deepEqual } from './json';
import { PathSegment, formatPointer, removeInPlace, valueAt } from './pointer';
import { IgnoredPath } from './types';

/** Finds one ignored path in an object, or undefined when it is not there. */
export type Locate = (doc: unknown) => PathSegment[] | undefined;

export type IgnoreTarget = { locate: Locate; reason: string };

export type IgnoredPair = {
  desired: Manifest;
  live: Manifest | undefined;
  ignored: IgnoredPath[];
};

/** A target at a fixed path, the same in both objects. */
export function atPath(
  segments: readonly PathSegment[],
  reason: string,
): IgnoreTarget {
  return {
    reason,
    locate: doc =>
      valueAt(doc, segments) === undefined ? undefined : [...segments],
  };
}

/**
 * Removes each target from both sides and lists what was removed. A target
 * present on neither side is not listed; the first target to remove a path is
 * the reason given for it. Returns new objects.
 */
export function ignorePaths(
  desired: Manifest,
  live: Manifest | undefined,
  targets: readonly IgnoreTarget[],
): IgnoredPair {
  const d = cloneJson(desired);
  const l = live && cloneJson(live);
  const ignored: IgnoredPath[] = [];
  for (const { locate, reason } of targets) {
    const inDesired = locate(d);
    const inLive = l && locate(l);
    const path = inDesired ?? inLive;
    if (!path) {
      continue;
    }
    const desiredValue = inDesired && valueAt(d, inDesired);
    const liveValue = inLive && valueAt(l, inLive);
    ignored.push({
      path: formatPointer(path),
      reason,
      differs: !deepEqual(desiredValue, liveValue),
    });
    if (inDesired) removeInPlace(d, inDesired);
    if (inLive) removeInPlace(l, inLive);
  }
  return { desired: d, live: l, ignored };
}
