import { Manifest } from '../manifest';
import { cloneJson, deepEqual } from './json';
import { PathSegment, formatPointer, removeInPlace, valueAt } from './pointer';
import { IgnoredPath } from './types';

/** Finds one ignored path in an object, or undefined when it is not there. */
export type Locate = (doc: unknown) => PathSegment[] | undefined;

export type IgnoreTarget = {
  locate: Locate;
  reason: string;
  /** Only this side: a path computed for one object (jq) may not fit the other. */
  side?: 'desired' | 'live';
};

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
 * the reason given for it. Returns new objects when there is anything to
 * remove, else the objects given.
 */
export function ignorePaths(
  desired: Manifest,
  live: Manifest | undefined,
  targets: readonly IgnoreTarget[],
): IgnoredPair {
  const ignored: IgnoredPath[] = [];
  // Most objects have no rule at all: nothing to copy.
  if (targets.length === 0) return { desired, live, ignored };
  const d = cloneJson(desired);
  const l = live && cloneJson(live);
  for (const { locate, reason, side } of targets) {
    const inDesired = side === 'live' ? undefined : locate(d);
    const inLive = side === 'desired' ? undefined : l && locate(l);
    const path = inDesired ?? inLive;
    if (!path) {
      continue;
    }
    // A one-sided target is compared with the other side at the same path,
    // and listed once even when both sides select it.
    const desiredAt = side === 'live' ? path : inDesired;
    const liveAt = side === 'desired' ? path : inLive;
    const desiredValue = desiredAt && valueAt(d, desiredAt);
    const liveValue = l && liveAt && valueAt(l, liveAt);
    const pointer = formatPointer(path);
    if (
      !side ||
      !ignored.some(i => i.path === pointer && i.reason === reason)
    ) {
      ignored.push({
        path: pointer,
        reason,
        differs: !deepEqual(desiredValue, liveValue),
      });
    }
    if (inDesired) removeInPlace(d, inDesired);
    if (inLive) removeInPlace(l, inLive);
  }
  return { desired: d, live: l, ignored };
}
