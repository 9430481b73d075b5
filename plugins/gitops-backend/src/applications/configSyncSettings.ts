import { Config } from '@backstage/config';
import {
  ApplicationDefinition,
  ApplicationRetryPolicy,
  ApplicationSyncPolicy,
  parseIgnoreDifferences,
} from '@backstage-gitops/plugin-gitops-common';

/**
 * `syncPolicy` and `ignoreDifferences` of one `gitops.applications` entry,
 * written as in an Argo CD Application. Config readers throw on a wrong
 * type (naming the key); the caller turns that into a problem.
 */
export function syncSettingsOf(
  entry: Config,
): Pick<ApplicationDefinition, 'syncPolicy' | 'ignoreDifferences'> {
  const syncPolicy: ApplicationSyncPolicy = {};
  if (entry.has('syncPolicy.automated')) {
    syncPolicy.automated = {
      prune: entry.getOptionalBoolean('syncPolicy.automated.prune') ?? false,
      selfHeal:
        entry.getOptionalBoolean('syncPolicy.automated.selfHeal') ?? false,
      allowEmpty:
        entry.getOptionalBoolean('syncPolicy.automated.allowEmpty') ?? false,
    };
  }
  const syncOptions = entry.getOptionalStringArray('syncPolicy.syncOptions');
  if (syncOptions?.length) syncPolicy.syncOptions = syncOptions;
  if (entry.has('syncPolicy.retry')) syncPolicy.retry = retryOf(entry);
  const managed = entry.getOptionalConfig(
    'syncPolicy.managedNamespaceMetadata',
  );
  if (managed) {
    syncPolicy.managedNamespaceMetadata = {
      labels: stringMap(managed, 'labels'),
      annotations: stringMap(managed, 'annotations'),
    };
  }

  const settings: Pick<
    ApplicationDefinition,
    'syncPolicy' | 'ignoreDifferences'
  > = Object.keys(syncPolicy).length > 0 ? { syncPolicy } : {};
  if (entry.has('ignoreDifferences')) {
    const rules = parseIgnoreDifferences(entry.get('ignoreDifferences'));
    if (typeof rules === 'string') throw new Error(rules);
    settings.ignoreDifferences = rules;
  }
  return settings;
}

function retryOf(entry: Config): ApplicationRetryPolicy {
  const backoff = {
    duration: entry.getOptionalString('syncPolicy.retry.backoff.duration'),
    factor: entry.getOptionalNumber('syncPolicy.retry.backoff.factor'),
    maxDuration: entry.getOptionalString(
      'syncPolicy.retry.backoff.maxDuration',
    ),
  };
  const given = Object.fromEntries(
    Object.entries(backoff).filter(([, value]) => value !== undefined),
  );
  return {
    // Required, as in the retry annotation: no guessed number of retries.
    limit: entry.getNumber('syncPolicy.retry.limit'),
    ...(Object.keys(given).length > 0 ? { backoff: given } : {}),
  };
}

function stringMap(
  config: Config,
  key: string,
): Record<string, string> | undefined {
  const map = config.getOptionalConfig(key);
  if (!map) return undefined;
  return Object.fromEntries(map.keys().map(k => [k, map.getString(k)]));
}
