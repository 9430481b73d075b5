import { deepEqual, isRecord, ownValue } from './json';
import { PathSegment } from './pointer';

// The `fieldsV1` format of `metadata.managedFields` (structured-merge-diff):
// a tree whose keys are `f:<field>` (a map field), `k:<json>` (a list item
// found by its key fields), `v:<json>` (a set item found by value), `i:<n>`
// (a list item by index) and `.` (the node itself is owned). A leaf `{}`
// means the manager owns that field and everything under it.

export type FieldStep =
  | { field: string }
  | { key: Record<string, unknown> }
  | { value: unknown }
  | { index: number };

export type ManagedPaths = { paths: FieldStep[][]; problems: string[] };

function parseStep(text: string): FieldStep | string {
  const body = text.slice(2);
  switch (text.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'i:':
      return /^\d+$/.test(body)
        ? { index: Number(body) }
        : `bad index "${text}"`;
    case 'k:':
    case 'v:':
      try {
        const parsed: unknown = JSON.parse(body);
        if (text.startsWith('v:')) {
          return { value: parsed };
        }
        return isRecord(parsed) ? { key: parsed } : `bad list key "${text}"`;
      } catch {
        return `bad JSON in "${text}"`;
      }
    default:
      return `unknown fieldsV1 key "${text}"`;
  }
}

/**
 * The paths one managed-fields entry owns. A list item marked `.` is owned
 * whole (the manager created it), as structured-merge-diff reads it. A map
 * field marked `.` is not: only its listed children are, because the other
 * keys of the same map (say other annotations) may belong to someone else.
 */
export function ownedPaths(fieldsV1: unknown): ManagedPaths {
  const result: ManagedPaths = { paths: [], problems: [] };
  const walk = (node: unknown, prefix: FieldStep[]) => {
    if (!isRecord(node)) {
      result.problems.push('fieldsV1 node is not an object');
      return;
    }
    const children = Object.keys(node).filter(key => key !== '.');
    const last = prefix[prefix.length - 1];
    const isListItem = last !== undefined && !('field' in last);
    if (
      prefix.length > 0 &&
      (children.length === 0 || (isListItem && '.' in node))
    ) {
      result.paths.push(prefix);
      return;
    }
    for (const child of children) {
      const step = parseStep(child);
      if (typeof step === 'string') {
        result.problems.push(step);
      } else {
        walk(node[child], [...prefix, step]);
      }
    }
  };
  walk(fieldsV1, []);
  return result;
}

function findItem(list: unknown[], step: FieldStep): number {
  if ('key' in step) {
    return list.findIndex(
      item =>
        isRecord(item) &&
        Object.entries(step.key).every(([k, v]) => deepEqual(item[k], v)),
    );
  }
  if ('value' in step) {
    return list.findIndex(item => deepEqual(item, step.value));
  }
  return 'index' in step && step.index < list.length ? step.index : -1;
}

/**
 * Where an owned path is in one object, as concrete segments, or undefined
 * when the object does not have it. List items are found by content, so the
 * same owned item may sit at different indexes in desired and live.
 */
export function locateOwnedPath(
  doc: unknown,
  steps: readonly FieldStep[],
): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let current = doc;
  for (const step of steps) {
    if ('field' in step) {
      const value = isRecord(current)
        ? ownValue(current, step.field)
        : undefined;
      if (value === undefined) {
        return undefined;
      }
      segments.push(step.field);
      current = value;
    } else {
      const index = Array.isArray(current) ? findItem(current, step) : -1;
      if (index < 0) {
        return undefined;
      }
      segments.push(index);
      current = (current as unknown[])[index];
    }
  }
  return segments;
}

/**
 * The paths owned by the named managers, read from a live object's
 * `metadata.managedFields`. Entries of another `fieldsType` cannot be read and
 * are reported as problems. The entry's `apiVersion` is not converted: field
 * paths are taken as they are, which holds while the owned fields keep their
 * names across versions (true of every built-in kind today).
 */
export function pathsOwnedBy(
  managedFields: unknown,
  manager: string,
): ManagedPaths {
  const result: ManagedPaths = { paths: [], problems: [] };
  for (const entry of Array.isArray(managedFields) ? managedFields : []) {
    if (!isRecord(entry) || entry.manager !== manager) {
      continue;
    }
    if (entry.fieldsType !== 'FieldsV1') {
      result.problems.push(`fieldsType "${entry.fieldsType}" is not FieldsV1`);
      continue;
    }
    const owned = ownedPaths(entry.fieldsV1);
    for (const path of owned.paths) result.paths.push(path);
    for (const problem of owned.problems) result.problems.push(problem);
  }
  return result;
}
