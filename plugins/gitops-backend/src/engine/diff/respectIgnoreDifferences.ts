import { Manifest } from '../manifest';
import {
  IgnoreDifferencesRule,
  JqPaths,
  ignoreTargets,
} from './ignoreDifferences';
import { cloneJson, isRecord, ownValue, setOwn } from './json';
import { PathSegment, removeInPlace, valueAt } from './pointer';
import { CompareNote } from './types';

/**
 * Sets `value` at `path` in `doc` itself, creating the maps on the way; a
 * path through a list item that does not exist is left alone (we never
 * invent list items). Returns whether it was set.
 */
function setInPlace(
  doc: unknown,
  path: readonly PathSegment[],
  value: unknown,
): boolean {
  let node = doc;
  for (const [depth, segment] of path.entries()) {
    const last = depth === path.length - 1;
    if (Array.isArray(node)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.length) {
        return false;
      }
      if (last) node[index] = cloneJson(value);
      node = node[index];
    } else if (isRecord(node)) {
      const key = String(segment);
      if (last) setOwn(node, key, cloneJson(value));
      else if (ownValue(node, key) === undefined) setOwn(node, key, {});
      node = ownValue(node, key);
    } else {
      return false;
    }
  }
  return true;
}

/**
 * What a sync with `RespectIgnoreDifferences=true` applies: the desired
 * object with every ignored path set to its live value, or removed when the
 * live object has none, as Argo CD does. Without it, a sync would undo the
 * very differences the rules say are not ours (an autoscaler's replicas).
 * A new object (no live one) is applied as Git has it. jq paths come
 * evaluated on these very objects (see compare/jq).
 */
export function keepIgnoredLiveValues(
  desired: Manifest,
  live: Manifest | undefined,
  rules: readonly IgnoreDifferencesRule[],
  jq?: JqPaths,
): { manifest: Manifest; notes: CompareNote[] } {
  const notes: CompareNote[] = [];
  if (!live) return { manifest: desired, notes };
  const targets = ignoreTargets(
    rules,
    desired,
    live.metadata.managedFields,
    notes,
    jq,
  );
  const manifest = cloneJson(desired);
  for (const { locate } of targets) {
    const inLive = locate(live);
    const inDesired = locate(manifest);
    if (inLive) {
      setInPlace(manifest, inDesired ?? inLive, valueAt(live, inLive));
    } else if (inDesired) {
      removeInPlace(manifest, inDesired);
    }
  }
  return { manifest, notes };
}
