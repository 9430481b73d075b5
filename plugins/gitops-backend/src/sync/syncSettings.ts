import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { DEFAULT_BACKOFF, RetryPolicy } from '../engine/sync';
import { SyncApplicationOptions } from './syncApplication';

/** Argo CD's `syncPolicy.retry`, backoff defaults filled in (5s, ×2, 3m). */
export function retryPolicyOf(
  app: ApplicationDefinition,
): RetryPolicy | undefined {
  const retry = app.syncPolicy?.retry;
  if (!retry) return undefined;
  return {
    limit: retry.limit,
    backoff: {
      duration: retry.backoff?.duration ?? DEFAULT_BACKOFF.duration,
      factor: retry.backoff?.factor ?? DEFAULT_BACKOFF.factor,
      maxDuration: retry.backoff?.maxDuration ?? DEFAULT_BACKOFF.maxDuration,
    },
  };
}

/** What every sync of the application takes from its definition. */
export function syncSettingsOf(
  app: ApplicationDefinition,
): Pick<SyncApplicationOptions, 'syncOptions' | 'retry'> {
  const retry = retryPolicyOf(app);
  return {
    syncOptions: app.syncPolicy?.syncOptions ?? [],
    ...(retry ? { retry } : {}),
  };
}
