import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import os from 'os';
import path from 'path';

/** The plugin's settings (config.d.ts documents each key), with defaults. */
export type GitopsSettings = {
  allowHttpRepositories: boolean;
  /** Badges answer without sign-in. */
  publicBadges: boolean;
  cacheDir: string;
  /** How much one source may read from a commit before it is refused. */
  readLimits: { maxBytes?: number; maxFiles?: number };
  /** Paths of the render tools; unset ones are looked up on PATH. */
  tools: { helm?: string; kustomize?: string; jsonnet?: string };
  reconcile: {
    enabled: boolean;
    /** Watch destination clusters and refresh on live changes. */
    watch: boolean;
    interval: HumanDuration;
    concurrency: number;
    gitTimeoutMs: number;
  };
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
      gitTimeoutMs:
        (reconcile?.getOptionalNumber('gitTimeoutSeconds') ?? 90) * 1000,
    },
  };
}
