export interface Config {
  gitops?: {
    /**
     * Projects, after Argo CD's AppProject: what applications created through
     * the scaffolder actions may use. `default` allows everything unless it
     * is declared here. Patterns are globs; `*` matches anything.
     */
    projects?: Array<{
      /** Project name, as applications name it in `project`. */
      name: string;
      /** Repository URLs (globs) the project's applications may deploy from. */
      sourceRepos?: string[];
      /** Cluster and namespace pairs (globs) they may deploy to. */
      destinations?: Array<{
        /** Cluster name from gitops.clusters; default `*`. */
        cluster?: string;
        /** Namespace; default `*`. */
        namespace?: string;
      }>;
    }>;
  };
}
