// Live objects arrive as untyped JSON; these readers return a field only when
// it has the expected type, so a malformed status can never crash a rule or be
// read as something it is not.

function child(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

export function fieldAt(obj: unknown, path: readonly string[]): unknown {
  return path.reduce(child, obj);
}

export function numberAt(obj: unknown, ...path: string[]): number | undefined {
  const value = fieldAt(obj, path);
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

export function stringAt(obj: unknown, ...path: string[]): string | undefined {
  const value = fieldAt(obj, path);
  return typeof value === 'string' ? value : undefined;
}

export function booleanAt(
  obj: unknown,
  ...path: string[]
): boolean | undefined {
  const value = fieldAt(obj, path);
  return typeof value === 'boolean' ? value : undefined;
}

export function arrayAt(obj: unknown, ...path: string[]): unknown[] {
  const value = fieldAt(obj, path);
  return Array.isArray(value) ? value : [];
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A `status.conditions[]` entry, in the shape every Kubernetes API uses. */
export type Condition = {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  observedGeneration?: number;
};

function toCondition(value: unknown): Condition | undefined {
  const type = stringAt(value, 'type');
  const status = stringAt(value, 'status');
  if (
    !type ||
    (status !== 'True' && status !== 'False' && status !== 'Unknown')
  ) {
    return undefined;
  }
  return {
    type,
    status,
    reason: stringAt(value, 'reason'),
    message: stringAt(value, 'message'),
    observedGeneration: numberAt(value, 'observedGeneration'),
  };
}

/** Well-formed entries of `status.conditions`; malformed ones are left out. */
export function conditionsOf(obj: unknown): Condition[] {
  return arrayAt(obj, 'status', 'conditions')
    .map(toCondition)
    .filter((c): c is Condition => c !== undefined);
}

export function findCondition(
  obj: unknown,
  type: string,
): Condition | undefined {
  return conditionsOf(obj).find(c => c.type === type);
}

/** `metadata.generation`, which the API server sets on every object with a spec. */
export function generationOf(obj: unknown): number {
  return numberAt(obj, 'metadata', 'generation') ?? 0;
}
