// Objects arrive as parsed JSON; these helpers treat them as plain data.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys whose value is `undefined` count as absent, as they do in JSON. */
function definedKeys(value: JsonRecord): string[] {
  return Object.keys(value).filter(key => value[key] !== undefined);
}

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = definedKeys(a);
    return (
      keys.length === definedKeys(b).length &&
      keys.every(key => deepEqual(a[key], b[key]))
    );
  }
  return false;
}

/** A deep copy, so the pure functions here can edit a copy in place. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
