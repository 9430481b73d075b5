import { Config } from '@backstage/config';
import { DEFAULT_TARGET_REVISION } from '@backstage-gitops/plugin-gitops-common';

/** A Git folder of Argo CD Application and AppProject files ("app of apps"). */
export type ArgoGitLocation = {
  repoURL: string;
  path: string;
  targetRevision: string;
  /** Read subfolders too, like Argo CD's `directory.recurse`. */
  recurse: boolean;
};

/** A namespace of a declared cluster whose Application objects are read. */
export type ArgoClusterLocation = { cluster: string; namespace: string };

export type ArgoSettings = {
  git: ArgoGitLocation[];
  clusters: ArgoClusterLocation[];
  /** How long a read of the locations is reused before reading again. */
  cacheMs: number;
};

/** `gitops.argocd` (config.d.ts documents each key). */
export function readArgoSettings(config: Config): ArgoSettings {
  const argocd = config.getOptionalConfig('gitops.argocd');
  return {
    git: (argocd?.getOptionalConfigArray('git') ?? []).map(entry => ({
      repoURL: entry.getString('repoURL'),
      path: entry.getOptionalString('path') ?? '',
      targetRevision:
        entry.getOptionalString('targetRevision') ?? DEFAULT_TARGET_REVISION,
      recurse: entry.getOptionalBoolean('recurse') ?? false,
    })),
    clusters: (argocd?.getOptionalConfigArray('clusters') ?? []).map(entry => ({
      cluster: entry.getString('cluster'),
      namespace: entry.getOptionalString('namespace') ?? 'argocd',
    })),
    cacheMs: (argocd?.getOptionalNumber('cacheSeconds') ?? 60) * 1000,
  };
}
