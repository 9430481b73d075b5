import {
  ApplicationDefinition,
  ApplicationIgnoreDifference,
  ApplicationRetryPolicy,
} from './types';

// Shape checks of a definition's sync settings, shared by every source
// (catalog annotations, app-config, Argo CD YAML). What each option means is
// the backend's business: it checks option names and values there, since the
// engine that honours them is the one place that knows them.

/** @public `A=b, C=d` → `['A=b', 'C=d']`; blanks dropped. */
export function splitSyncOptions(text: string): string[] {
  return text
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean);
}

// Go's duration format, as Argo CD's retry backoff is written: `5s`, `1m30s`.
const GO_DURATION = /^(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+)$/;

const RETRY_KEYS = ['limit', 'duration', 'factor', 'maxDuration'] as const;

/**
 * @public Reads `limit=5, duration=5s, factor=2, maxDuration=3m` (the
 * retry annotation) into a retry policy, or says in words what is wrong.
 */
export function parseRetryText(text: string): ApplicationRetryPolicy | string {
  const values: Record<string, string> = {};
  for (const entry of splitSyncOptions(text)) {
    const at = entry.indexOf('=');
    const key = at < 0 ? entry : entry.slice(0, at).trim();
    if (at < 0 || !(RETRY_KEYS as readonly string[]).includes(key)) {
      return `retry: "${entry}" is not one of ${RETRY_KEYS.map(
        k => `${k}=…`,
      ).join(', ')}`;
    }
    values[key] = entry.slice(at + 1).trim();
  }
  if (values.limit === undefined) return 'retry: limit=<number> is required';
  const factor =
    values.factor === undefined ? undefined : Number(values.factor);
  const backoff = {
    ...(values.duration !== undefined ? { duration: values.duration } : {}),
    ...(factor !== undefined ? { factor } : {}),
    ...(values.maxDuration !== undefined
      ? { maxDuration: values.maxDuration }
      : {}),
  };
  const policy: ApplicationRetryPolicy = {
    limit: Number(values.limit),
    ...(Object.keys(backoff).length > 0 ? { backoff } : {}),
  };
  return checkRetry(policy) ?? policy;
}

function checkRetry(retry: ApplicationRetryPolicy): string | undefined {
  if (!Number.isInteger(retry.limit)) {
    return `retry: limit must be a whole number, not "${retry.limit}"`;
  }
  const { duration, factor, maxDuration } = retry.backoff ?? {};
  for (const [name, value] of [
    ['duration', duration],
    ['maxDuration', maxDuration],
  ] as const) {
    if (value !== undefined && !GO_DURATION.test(value)) {
      return `retry: ${name} "${value}" is not a duration such as 5s or 3m`;
    }
  }
  if (factor !== undefined && !(Number.isFinite(factor) && factor > 0)) {
    return `retry: factor must be a number above 0, not "${factor}"`;
  }
  return undefined;
}

const RULE_LISTS = [
  'jsonPointers',
  'jqPathExpressions',
  'managedFieldsManagers',
] as const;
const RULE_STRINGS = ['group', 'kind', 'name', 'namespace'] as const;

/**
 * @public Reads Argo CD's `ignoreDifferences` list from parsed YAML, JSON
 * or config, or says in words what is wrong with which entry. Unknown keys
 * are refused: a misspelt `jsonPointer` would otherwise ignore nothing.
 */
export function parseIgnoreDifferences(
  value: unknown,
): ApplicationIgnoreDifference[] | string {
  if (!Array.isArray(value)) {
    return 'ignoreDifferences must be a list of {group, kind, jsonPointers, …}';
  }
  const rules: ApplicationIgnoreDifference[] = [];
  for (const [index, entry] of value.entries()) {
    const where = `ignoreDifferences[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return `${where} must be a map`;
    }
    const record = entry as Record<string, unknown>;
    const known: readonly string[] = [...RULE_STRINGS, ...RULE_LISTS];
    const unknown = Object.keys(record).filter(key => !known.includes(key));
    if (unknown.length > 0) {
      return `${where}: unknown key(s) ${unknown.join(', ')}`;
    }
    for (const key of RULE_STRINGS) {
      if (record[key] !== undefined && typeof record[key] !== 'string') {
        return `${where}.${key} must be a string`;
      }
    }
    if (!record.kind) return `${where}.kind is required`;
    for (const key of RULE_LISTS) {
      const list = record[key];
      if (
        list !== undefined &&
        !(Array.isArray(list) && list.every(item => typeof item === 'string'))
      ) {
        return `${where}.${key} must be a list of strings`;
      }
    }
    if (!RULE_LISTS.some(key => (record[key] as string[] | undefined)?.length))
      return `${where} ignores nothing: give jsonPointers, jqPathExpressions or managedFieldsManagers`;
    rules.push(record as ApplicationIgnoreDifference);
  }
  return rules;
}

/**
 * @public Why the sync settings of a definition cannot be used, or
 * undefined. Part of {@link checkApplicationDefinition}.
 */
export function checkSyncSettings(
  application: Pick<ApplicationDefinition, 'syncPolicy' | 'ignoreDifferences'>,
): string | undefined {
  const { syncPolicy, ignoreDifferences } = application;
  for (const entry of syncPolicy?.syncOptions ?? []) {
    if (!/^[A-Za-z]+(=\S.*)?$/.test(entry.trim())) {
      return `sync option "${entry}" is not of the form Name=value`;
    }
  }
  if (syncPolicy?.retry) {
    const problem = checkRetry(syncPolicy.retry);
    if (problem) return problem;
  }
  if (ignoreDifferences) {
    const parsed = parseIgnoreDifferences(ignoreDifferences);
    if (typeof parsed === 'string') return parsed;
  }
  return undefined;
}
