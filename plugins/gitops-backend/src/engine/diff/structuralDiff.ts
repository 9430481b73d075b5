import { stringify } from 'yaml';
import { deepEqual, isRecord } from './json';
import { PathSegment, formatPointer } from './pointer';
import { DiffChange } from './types';

// A small structural diff rather than a JSON Patch library
// (`fast-json-patch.compare`): those compare arrays by index only, so one
// container inserted at the top shows every later container as replaced.
// Here objects are compared key by key, and lists by index except lists of
// named items, which are matched by name.

/**
 * A list whose items are all objects with a distinct string `name`:
 * containers, initContainers, env, ports, volumes, volumeMounts (when each is
 * mounted once), and the like. Kubernetes merges these lists by name.
 */
function isNamedList(list: readonly unknown[]): boolean {
  const names = new Set<unknown>();
  return list.every(item => {
    if (!isRecord(item) || typeof item.name !== 'string') {
      return false;
    }
    const fresh = !names.has(item.name);
    names.add(item.name);
    return fresh;
  });
}

function indexByName(list: readonly unknown[]): Map<unknown, number> {
  return new Map(list.map((item, i) => [(item as { name: unknown }).name, i]));
}

function sortedKeys(...records: Record<string, unknown>[]): string[] {
  const keys = new Set(records.flatMap(r => Object.keys(r)));
  return [...keys].sort();
}

function walk(
  desired: unknown,
  live: unknown,
  path: PathSegment[],
  out: DiffChange[],
): void {
  if (deepEqual(desired, live)) {
    return;
  }
  const pointer = formatPointer(path);
  if (live === undefined) {
    out.push({ path: pointer, op: 'add', desired });
  } else if (desired === undefined) {
    out.push({ path: pointer, op: 'remove', live });
  } else if (isRecord(desired) && isRecord(live)) {
    for (const key of sortedKeys(desired, live)) {
      walk(desired[key], live[key], [...path, key], out);
    }
  } else if (Array.isArray(desired) && Array.isArray(live)) {
    if (isNamedList(desired) && isNamedList(live)) {
      walkNamed(desired, live, path, out);
    } else {
      const length = Math.max(desired.length, live.length);
      for (let i = 0; i < length; i++) {
        walk(desired[i], live[i], [...path, i], out);
      }
    }
  } else {
    out.push({ path: pointer, op: 'replace', desired, live });
  }
}

/**
 * Items with the same name are compared with each other wherever they sit;
 * an order change alone is not a difference. Paths use the desired index,
 * and the live index for items only the cluster has.
 */
function walkNamed(
  desired: unknown[],
  live: unknown[],
  path: PathSegment[],
  out: DiffChange[],
): void {
  const liveIndex = indexByName(live);
  const desiredIndex = indexByName(desired);
  desired.forEach((item, i) => {
    const j = liveIndex.get((item as { name: unknown }).name);
    walk(item, j === undefined ? undefined : live[j], [...path, i], out);
  });
  live.forEach((item, j) => {
    if (!desiredIndex.has((item as { name: unknown }).name)) {
      walk(undefined, item, [...path, j], out);
    }
  });
}

/** The changes that turn `live` into `desired`; empty when they are equal. */
export function diffValues(desired: unknown, live: unknown): DiffChange[] {
  const out: DiffChange[] = [];
  walk(desired, live, [], out);
  return out;
}

/**
 * A copy of `live` whose named lists follow the order of `desired`, items
 * only the cluster has last, so a line diff of the two texts shows the same
 * changes as {@link diffValues} and no reordering noise.
 */
export function alignNamedLists(live: unknown, desired: unknown): unknown {
  if (isRecord(live)) {
    const d = isRecord(desired) ? desired : {};
    return Object.fromEntries(
      Object.entries(live).map(([k, v]) => [k, alignNamedLists(v, d[k])]),
    );
  }
  if (!Array.isArray(live)) {
    return live;
  }
  const d = Array.isArray(desired) ? desired : [];
  if (!isNamedList(live) || !isNamedList(d)) {
    return live.map((item, i) => alignNamedLists(item, d[i]));
  }
  const liveIndex = indexByName(live);
  const desiredIndex = indexByName(d);
  const matched = d.flatMap(item => {
    const j = liveIndex.get((item as { name: unknown }).name);
    return j === undefined ? [] : [alignNamedLists(live[j], item)];
  });
  const liveOnly = live.filter(
    item => !desiredIndex.has((item as { name: unknown }).name),
  );
  return [...matched, ...liveOnly];
}

/** YAML for the text view: keys sorted, long strings never folded. */
export function toYaml(value: unknown): string {
  return value === undefined
    ? ''
    : stringify(value, { sortMapEntries: true, lineWidth: 0 });
}
