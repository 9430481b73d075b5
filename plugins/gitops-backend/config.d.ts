export interface Config {
  /** Configuration of the GitOps reconciler plugin. */
  gitops?: {
    /**
     * Accept `http://` repository URLs. Off by default: credentials and
     * manifests would travel unencrypted.
     */
    allowHttpRepositories?: boolean;
    /**
     * Where the shared Git mirrors live. Defaults to a `backstage-gitops`
     * folder in the system's temp directory.
     */
    cacheDir?: string;
    /**
     * Credentials per repository, matched by URL prefix (longest wins). Hosts
     * in Backstage's `integrations` config (GitHub tokens and Apps, GitLab)
     * need no entry here; SSH keys always do.
     */
    repositories?: Array<{
      /** A repository URL or a prefix of several, e.g. `https://git.example.com/team`. */
      url: string;
      /** User name for https; defaults to `git`. */
      username?: string;
      /**
       * Password or access token for https.
       * @visibility secret
       */
      token?: string;
      /**
       * Private key (OpenSSH format) for ssh URLs.
       * @visibility secret
       */
      sshPrivateKey?: string;
    }>;
    /** Status badges (`GET /api/gitops/applications/:name/badge`). */
    badges?: {
      /**
       * Serve badges without sign-in, as Argo CD's opt-in public badge. A
       * badge shows only the sync status and health words. Default false.
       */
      public?: boolean;
    };
    /** What one application source may read from a commit. */
    limits?: {
      /** Bytes of files read for one source. Default 10 MB. */
      maxRepositoryBytes?: number;
      /** Files read for one source. Default 10,000. */
      maxRepositoryFiles?: number;
    };
    /** Paths of the render tools; each defaults to its name on PATH. */
    tools?: {
      helm?: string;
      kustomize?: string;
      jsonnet?: string;
    };
    /** The reconcile loop. */
    reconcile?: {
      /** Set to false to serve the API without comparing anything. Default true. */
      enabled?: boolean;
      /** How often every application is compared with Git and the cluster. Default 3 minutes. */
      interval?: { minutes?: number; seconds?: number; hours?: number };
      /** Applications compared at once. Default 4. */
      concurrency?: number;
      /** Timeout of one git call, in seconds. Default 90. */
      gitTimeoutSeconds?: number;
    };
    /**
     * Destination clusters by name. `in-cluster`, when not declared here, is
     * the backend's own environment (its service account, or KUBECONFIG).
     * Kubeconfigs with exec or auth-provider users are refused.
     */
    clusters?: Array<{
      name: string;
      /** Path of a kubeconfig file with a token or client certificate. */
      kubeconfigPath: string;
      /** Context to use; defaults to the file's current context. */
      context?: string;
    }>;
    /**
     * Applications declared in config, in addition to those derived from
     * catalog entities. Each one has the same shape as an entity's annotations.
     */
    applications?: Array<{
      /** Application name, a Kubernetes name (lowercase, digits and "-"). */
      name: string;
      /** Catalog entities the application belongs to, e.g. `component:default/cart`. */
      entityRefs?: string[];
      source: {
        /** https or ssh URL of the Git repository. */
        repoURL: string;
        /** Folder inside the repository; defaults to the root. */
        path?: string;
        /** Branch, tag or commit; defaults to `HEAD`. */
        targetRevision?: string;
      };
      destination?: {
        /** A cluster name declared in config; defaults to `in-cluster`. */
        cluster?: string;
        /** Namespace for manifests that do not name one. */
        namespace?: string;
      };
      /** Argo CD's syncPolicy; without `automated`, syncs are manual. */
      syncPolicy?: {
        automated?: {
          /** Prune resources that left Git. Default false. */
          prune?: boolean;
          /** Also undo live drift, not only new commits. Default false. */
          selfHeal?: boolean;
          /** Allow an automated sync to prune every resource. Default false. */
          allowEmpty?: boolean;
        };
      };
      /**
       * Argo CD's `ignoreDifferences`: fields left out of the comparison,
       * shown as ignored in the diff.
       */
      ignoreDifferences?: Array<{
        group?: string;
        kind: string;
        name?: string;
        namespace?: string;
        jsonPointers?: string[];
        jqPathExpressions?: string[];
        managedFieldsManagers?: string[];
      }>;
    }>;
  };
}
