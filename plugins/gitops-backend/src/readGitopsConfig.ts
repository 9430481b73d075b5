import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import os from 'os';
import path from 'path';
import {
  DEFAULT_REFRESH_BUDGET_MS,
  DEFAULT_SHARDS,
} from './scheduling/Reconciler';

/** `gitops.history`: how much sync history is kept. */
export type HistorySettings = {
  /** Finished operations kept per application. */
  limit?: number;
  maxAge?: HumanDuration;
};

/** The plugin's settings (config.d.ts documents each key), with defaults. */
export type GitopsSettings = {
  allowHttpRepositories: boolean;
  /** Badges answer without sign-in. */
  publicBadges: boolean;
  cacheDir: string;
  /** How much one source may read from a commit before it is refused. */
  readLimits: { maxBytes?: number; maxFiles?: number };
  /** Objects one application may render; unset: the repository's default. */
  maxApplicationObjects?: number;
  /** Paths of the render tools; unset ones are looked up on PATH. */
  tools: { helm?: string; kustomize?: string; jsonnet?: string };
  reconcile: {
    enabled: boolean;
    /** Watch destination clusters and refresh on live changes. */
    watch: boolean;
    interval: HumanDuration;
    concurrency: number;
    /** Scheduler tasks the fleet is split into. */
    shards: number;
    /** How long one application's refresh may take before it is abandoned. */
    refreshBudgetMs: number;
    /** Cluster calls in flight across all running syncs. */
    syncCallConcurrency: number;
    /** How long a sync's lease outlives its last renewal. */
    leaseMs: number;
    gitTimeoutMs: number;
  };
  history: HistorySettings;
};

export function readGitopsConfig(config: Config): GitopsSettings {
  const reconcile = config.getOptionalConfig('gitops.reconcile');
  return {
    allowHttpRepositories:
      config.getOptionalBoolean('gitops.allowHttpRepositories') ?? false,
    publicBadges: config.getOptionalBoolean('gitops.badges.public') ?? false,
    cacheDir:
      config.getOptionalString('gitops.cacheDir') ??
      path.join(os.tmpdir(), 'backstage-gitops'),
    readLimits: {
      maxBytes: config.getOptionalNumber('gitops.limits.maxRepositoryBytes'),
      maxFiles: config.getOptionalNumber('gitops.limits.maxRepositoryFiles'),
    },
    maxApplicationObjects: config.getOptionalNumber(
      'gitops.limits.maxApplicationObjects',
    ),
    tools: {
      helm: config.getOptionalString('gitops.tools.helm'),
      kustomize: config.getOptionalString('gitops.tools.kustomize'),
      jsonnet: config.getOptionalString('gitops.tools.jsonnet'),
    },
    reconcile: {
      enabled: reconcile?.getOptionalBoolean('enabled') ?? true,
      watch: reconcile?.getOptionalBoolean('watch') ?? true,
      interval: reconcile?.has('interval')
        ? readDurationFromConfig(reconcile.getConfig('interval'))
        : { minutes: 3 },
      concurrency: reconcile?.getOptionalNumber('concurrency') ?? 4,
      shards: positiveInteger(reconcile, 'shards') ?? DEFAULT_SHARDS,
      refreshBudgetMs:
        (reconcile?.getOptionalNumber('refreshBudgetSeconds') ??
          DEFAULT_REFRESH_BUDGET_MS / 1000) * 1000,
      syncCallConcurrency:
        reconcile?.getOptionalNumber('syncCallConcurrency') ?? 16,
      leaseMs: (reconcile?.getOptionalNumber('leaseSeconds') ?? 120) * 1000,
      gitTimeoutMs:
        (reconcile?.getOptionalNumber('gitTimeoutSeconds') ?? 90) * 1000,
    },
    history: readHistory(config),
  };
}

function positiveInteger(
  config: Config | undefined,
  key: string,
): number | undefined {
  const value = config?.getOptionalNumber(key);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `gitops.reconcile.${key} must be a whole number of at least 1, not ${value}`,
    );
  }
  return value;
}

function readHistory(config: Config): HistorySettings {
  const history = config.getOptionalConfig('gitops.history');
  const maxAge = history?.has('maxAge')
    ? readDurationFromConfig(history.getConfig('maxAge'))
    : undefined;
  // With only an age given, the age alone decides; with neither, 100 apiece.
  const limit =
    history?.getOptionalNumber('limit') ?? (maxAge ? undefined : 100);
  return { limit, maxAge };
}
