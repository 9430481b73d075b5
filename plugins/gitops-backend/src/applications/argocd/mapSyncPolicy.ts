import {
  ApplicationIgnoreDifference,
  ApplicationRetryPolicy,
  ApplicationSyncPolicy,
} from '@backstage-gitops/plugin-gitops-common';
import { FieldReader } from './fields';

/** Argo CD's `spec.syncPolicy`; undefined when nothing is set. */
export function readSyncPolicy(
  value: unknown,
  fields: FieldReader,
): ApplicationSyncPolicy | undefined {
  const raw = fields.record(value, 'spec.syncPolicy');
  if (!raw) return undefined;
  fields.unknownKeys(
    raw,
    'spec.syncPolicy',
    ['automated', 'syncOptions', 'retry', 'managedNamespaceMetadata'],
    'note',
  );
  const policy: ApplicationSyncPolicy = {};
  const automated = fields.record(raw.automated, 'spec.syncPolicy.automated');
  if (automated) {
    fields.unknownKeys(
      automated,
      'spec.syncPolicy.automated',
      ['prune', 'selfHeal', 'allowEmpty', 'enabled'],
      'note',
    );
    const at = (key: string) =>
      fields.boolean(automated[key], `spec.syncPolicy.automated.${key}`);
    // Argo CD 3 can switch automation off while keeping its settings.
    if (at('enabled') !== false) {
      policy.automated = {
        prune: at('prune') ?? false,
        selfHeal: at('selfHeal') ?? false,
        allowEmpty: at('allowEmpty') ?? false,
      };
    }
  }
  const syncOptions = fields.strings(
    raw.syncOptions,
    'spec.syncPolicy.syncOptions',
  );
  if (syncOptions?.length) policy.syncOptions = syncOptions;
  const retry = readRetry(raw.retry, fields);
  if (retry) policy.retry = retry;
  const managed = readManagedNamespaceMetadata(
    raw.managedNamespaceMetadata,
    fields,
  );
  if (managed) policy.managedNamespaceMetadata = managed;
  return Object.keys(policy).length ? policy : undefined;
}

/** Labels and annotations of the namespace `CreateNamespace=true` makes. */
function readManagedNamespaceMetadata(
  value: unknown,
  fields: FieldReader,
): ApplicationSyncPolicy['managedNamespaceMetadata'] {
  const path = 'spec.syncPolicy.managedNamespaceMetadata';
  const raw = fields.record(value, path);
  if (!raw) return undefined;
  // It changes what is deployed: an unknown key is refused, not ignored.
  fields.unknownKeys(raw, path, ['labels', 'annotations'], 'fatal');
  const stringMap = (key: 'labels' | 'annotations') => {
    const map = fields.record(raw[key], `${path}.${key}`);
    if (!map) return undefined;
    if (Object.values(map).some(v => typeof v !== 'string')) {
      fields.fatal.push(`${path}.${key} must map names to strings`);
      return undefined;
    }
    return map as Record<string, string>;
  };
  const labels = stringMap('labels');
  const annotations = stringMap('annotations');
  return {
    ...(labels ? { labels } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

function readRetry(
  value: unknown,
  fields: FieldReader,
): ApplicationRetryPolicy | undefined {
  const raw = fields.record(value, 'spec.syncPolicy.retry');
  if (!raw) return undefined;
  fields.unknownKeys(
    raw,
    'spec.syncPolicy.retry',
    ['limit', 'backoff'],
    'note',
  );
  const retry: ApplicationRetryPolicy = {
    // Argo CD's default when a retry block has no limit.
    limit: fields.number(raw.limit, 'spec.syncPolicy.retry.limit') ?? 2,
  };
  const backoff = fields.record(raw.backoff, 'spec.syncPolicy.retry.backoff');
  if (backoff) {
    fields.unknownKeys(
      backoff,
      'spec.syncPolicy.retry.backoff',
      ['duration', 'factor', 'maxDuration'],
      'note',
    );
    const path = 'spec.syncPolicy.retry.backoff';
    const duration = durationString(
      backoff.duration,
      `${path}.duration`,
      fields,
    );
    const factor = fields.number(backoff.factor, `${path}.factor`);
    const maxDuration = durationString(
      backoff.maxDuration,
      `${path}.maxDuration`,
      fields,
    );
    retry.backoff = {
      ...(duration !== undefined ? { duration } : {}),
      ...(factor !== undefined ? { factor } : {}),
      ...(maxDuration !== undefined ? { maxDuration } : {}),
    };
  }
  return retry;
}

// Argo CD writes durations as Go durations ("5s", "3m") or plain seconds.
function durationString(
  value: unknown,
  path: string,
  fields: FieldReader,
): string | undefined {
  if (typeof value === 'number') return `${value}s`;
  const text = fields.string(value, path);
  if (text === undefined) return undefined;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$|^\d+$/.test(text.trim())) {
    fields.fatal.push(`${path} "${text}" is not a duration such as 5s or 3m`);
    return undefined;
  }
  return text.trim();
}

/** Argo CD's `spec.ignoreDifferences`. */
export function readIgnoreDifferences(
  value: unknown,
  fields: FieldReader,
): ApplicationIgnoreDifference[] | undefined {
  const items = fields.array(value, 'spec.ignoreDifferences');
  if (!items) return undefined;
  const result: ApplicationIgnoreDifference[] = [];
  items.forEach((item, index) => {
    const path = `spec.ignoreDifferences[${index}]`;
    const raw = fields.record(item, path);
    if (!raw) return;
    fields.unknownKeys(
      raw,
      path,
      [
        'group',
        'kind',
        'name',
        'namespace',
        'jsonPointers',
        'jqPathExpressions',
        'managedFieldsManagers',
      ],
      'fatal',
    );
    const kind = fields.string(raw.kind, `${path}.kind`);
    if (!kind) {
      fields.fatal.push(`${path}.kind is missing`);
      return;
    }
    const entry: ApplicationIgnoreDifference = { kind };
    for (const key of ['group', 'name', 'namespace'] as const) {
      const text = fields.string(raw[key], `${path}.${key}`);
      if (text !== undefined) entry[key] = text;
    }
    for (const key of [
      'jsonPointers',
      'jqPathExpressions',
      'managedFieldsManagers',
    ] as const) {
      const list = fields.strings(raw[key], `${path}.${key}`);
      if (list) entry[key] = list;
    }
    result.push(entry);
  });
  return result;
}
