import { isRecord, ownValue } from './json';

// RFC 6901 JSON pointers, written here rather than taken from `jsonpointer`
// or `fast-json-patch`: neither is a dependency of this package, we need only
// parse, format, look up and remove (~60 lines), and removal must also prune
// the parents it empties, which neither library does.

/** A path into a JSON value: object keys, and indexes for arrays. */
export type PathSegment = string | number;

export type PointerError = { pointer: string; message: string };

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * `/metadata/annotations/example.com~1owner` → metadata, annotations,
 * example.com/owner. `~1` is `/` and `~0` is `~`, decoded in that order so
 * `~01` stays the literal `~1`. The empty pointer (the whole document) is
 * returned as no segments; the caller decides whether that is acceptable.
 */
export function parsePointer(pointer: string): string[] | PointerError {
  if (pointer === '') {
    return [];
  }
  if (!pointer.startsWith('/')) {
    return { pointer, message: 'a JSON pointer must start with "/"' };
  }
  const segments = pointer.slice(1).split('/');
  if (segments.some(segment => /~(?![01])/.test(segment))) {
    return { pointer, message: '"~" must be followed by 0 or 1 (RFC 6901)' };
  }
  return segments.map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function isPointerError(
  value: string[] | PointerError,
): value is PointerError {
  return !Array.isArray(value);
}

export function formatPointer(segments: readonly PathSegment[]): string {
  return segments
    .map(s => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

function step(value: unknown, segment: PathSegment): unknown {
  if (Array.isArray(value)) {
    const text = String(segment);
    return ARRAY_INDEX.test(text) ? value[Number(text)] : undefined;
  }
  return isRecord(value) ? ownValue(value, String(segment)) : undefined;
}

/** The value at a path, or undefined when any part of it is missing. */
export function valueAt(
  doc: unknown,
  segments: readonly PathSegment[],
): unknown {
  return segments.reduce<unknown>(step, doc);
}

/**
 * Removes the value at a path from `doc` itself: call it only on a copy.
 * Objects that the removal leaves empty are removed from their parent too,
 * so ignoring `/metadata/annotations/x` on one side does not leave an empty
 * `annotations: {}` to differ from an absent map on the other. Items of an
 * array are never pruned this way: that would shift the indexes after them.
 * Returns whether anything was removed.
 */
export function removeInPlace(
  doc: unknown,
  segments: readonly PathSegment[],
): boolean {
  if (segments.length === 0 || valueAt(doc, segments) === undefined) {
    return false;
  }
  const parents = [doc];
  for (const segment of segments.slice(0, -1)) {
    parents.push(step(parents[parents.length - 1], segment));
  }
  for (let depth = segments.length - 1; depth >= 0; depth--) {
    const parent = parents[depth];
    const segment = segments[depth];
    if (Array.isArray(parent)) {
      // Only the target itself is ever removed from an array.
      if (depth === segments.length - 1) {
        parent.splice(Number(segment), 1);
      }
      return true;
    }
    const record = parent as Record<string, unknown>;
    const child = record[String(segment)];
    const emptied =
      depth === segments.length - 1 ||
      (isRecord(child) && Object.keys(child).length === 0);
    if (!emptied) {
      return true;
    }
    delete record[String(segment)];
  }
  return true;
}
