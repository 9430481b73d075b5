// Objects arrive as parsed JSON; these helpers treat them as plain data.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The record's own value at `key`. Paths come from users (ignoreDifferences)
 * and from objects in the cluster; `__proto__` or `constructor` must never
 * lead to what every object inherits, which the whole backend shares.
 */
export function ownValue(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets an own property, even one named `__proto__`, never a prototype. */
export function setOwn(record: JsonRecord, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
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
