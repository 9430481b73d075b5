import { parse } from 'yaml';
import {
  GITOPS_AUTO_SYNC_ANNOTATION,
  GITOPS_AUTO_SYNC_PRUNE_ANNOTATION,
  GITOPS_IGNORE_DIFFERENCES_ANNOTATION,
  GITOPS_SELF_HEAL_ANNOTATION,
  GITOPS_SYNC_OPTIONS_ANNOTATION,
  GITOPS_SYNC_RETRY_ANNOTATION,
} from './annotations';
import {
  parseIgnoreDifferences,
  parseRetryText,
  splitSyncOptions,
} from './syncSettings';
import { ApplicationDefinition, ApplicationSyncPolicy } from './types';

type SyncSettings = Pick<
  ApplicationDefinition,
  'syncPolicy' | 'ignoreDifferences'
>;

/**
 * The sync policy and ignoreDifferences an entity's annotations ask for, or
 * what is wrong with them in words (naming the annotation).
 */
export function syncSettingsOf(
  annotations: Record<string, string>,
): SyncSettings | string {
  const flag = (key: string) => annotations[key]?.trim() === 'true';
  const syncPolicy: ApplicationSyncPolicy = {};
  if (flag(GITOPS_AUTO_SYNC_ANNOTATION)) {
    syncPolicy.automated = {
      prune: flag(GITOPS_AUTO_SYNC_PRUNE_ANNOTATION),
      selfHeal: flag(GITOPS_SELF_HEAL_ANNOTATION),
      allowEmpty: false,
    };
  }
  const options = splitSyncOptions(
    annotations[GITOPS_SYNC_OPTIONS_ANNOTATION] ?? '',
  );
  if (options.length > 0) syncPolicy.syncOptions = options;

  const retryText = annotations[GITOPS_SYNC_RETRY_ANNOTATION]?.trim();
  if (retryText) {
    const retry = parseRetryText(retryText);
    if (typeof retry === 'string') {
      return `annotation ${GITOPS_SYNC_RETRY_ANNOTATION}: ${retry}`;
    }
    syncPolicy.retry = retry;
  }

  const settings: SyncSettings =
    Object.keys(syncPolicy).length > 0 ? { syncPolicy } : {};
  const ignoreText = annotations[GITOPS_IGNORE_DIFFERENCES_ANNOTATION]?.trim();
  if (ignoreText) {
    let parsed: unknown;
    try {
      // A small document; aliases are refused so it cannot expand.
      parsed = parse(ignoreText, { maxAliasCount: 0 });
    } catch (error) {
      return `annotation ${GITOPS_IGNORE_DIFFERENCES_ANNOTATION} is not YAML: ${
        (error as Error).message.split('\n')[0]
      }`;
    }
    const rules = parseIgnoreDifferences(parsed);
    if (typeof rules === 'string') {
      return `annotation ${GITOPS_IGNORE_DIFFERENCES_ANNOTATION}: ${rules}`;
    }
    settings.ignoreDifferences = rules;
  }
  return settings;
}
