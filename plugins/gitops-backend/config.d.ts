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
      /**
       * Kubernetes objects one application may render, all its sources
       * together; more is a comparison error naming both counts. Default
       * 10,000.
       */
      maxApplicationObjects?: number;
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
      /**
       * Keep a watch cache of each destination cluster: comparisons read
       * live objects from it instead of the API server, and a live change to
       * an application's object refreshes that application at once (so
       * selfHeal repairs it without waiting for the interval). Default true.
       */
      watch?: boolean;
      /**
       * How long after its last comparison (by any backend replica) an
       * application is compared with Git and the cluster again, plus a
       * jitter of up to a tenth of it, fixed per application, so that a
       * fleet does not fall due all at once. A webhook, the refresh button
       * or a live change compares it sooner and starts its interval anew.
       * Default 3 minutes.
       */
      interval?: { minutes?: number; seconds?: number; hours?: number };
      /**
       * Backstage scheduler tasks (`gitops-refresh-shard-<n>`) the
       * applications are split into by a hash of their name. Each task
       * looks for due applications every tenth of the interval (1–15 s);
       * on a shared PostgreSQL, backend replicas run different shards at
       * once, and the shard of a replica that died passes to another once
       * its run times out (one interval; Backstage's janitor frees such
       * runs once a minute). Default 6.
       */
      shards?: number;
      /**
       * How long one application's refresh may take, in seconds. A slower
       * one is abandoned with a ComparisonError condition saying so, and the
       * rest of its shard goes on. Default 120.
       */
      refreshBudgetSeconds?: number;
      /**
       * Applications compared at once, by the loop, webhooks and the API
       * together; the rest queue, and a refresh already queued is joined.
       * Default 4.
       */
      concurrency?: number;
      /**
       * Cluster calls in flight across all running syncs. Syncs waiting for
       * hooks or health hold none, so slow hooks do not starve other syncs.
       * Default 16.
       */
      syncCallConcurrency?: number;
      /**
       * How long a backend's hold on a syncing application (its lease in the
       * database) outlives the backend's last renewal, in seconds. A sync
       * whose backend died is resumed by another backend (or the restarted
       * one) this long after; a stopped backend hands its syncs over at once.
       * Default 120.
       */
      leaseSeconds?: number;
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
     * How much sync history (operations) is kept, by count and/or age,
     * applied every 10 minutes. Running operations are never deleted; the
     * audit trail is kept apart and not pruned. Default: 100 per application.
     */
    history?: {
      /** Finished operations kept per application, newest first. */
      limit?: number;
      /** Finished operations older than this are deleted, e.g. `{ days: 90 }`. */
      maxAge?: { days?: number; hours?: number; minutes?: number };
    };
    /**
     * Git webhooks at `POST /api/gitops/webhook`: a push refreshes the
     * applications whose repository, revision and paths it changed. A host
     * without a secret here is refused.
     */
    webhooks?: {
      /** Bodies above this size are refused with 413. Default 1 MiB. */
      maxBodyBytes?: number;
      /** GitHub: verified with `X-Hub-Signature-256`. */
      github?: {
        /** @visibility secret */
        secret: string;
      };
      /** GitLab: compared with `X-Gitlab-Token`. */
      gitlab?: {
        /** @visibility secret */
        secret: string;
      };
      /** Bitbucket Server / Data Center: verified with `X-Hub-Signature`. */
      bitbucketServer?: {
        /** @visibility secret */
        secret: string;
      };
      /**
       * Bitbucket Cloud: verified with `X-Hub-Signature` when the hook has
       * this secret; hooks that sign nothing add it to their URL instead,
       * `…/api/gitops/webhook?secret=<secret>` (access logs may record it).
       */
      bitbucketCloud?: {
        /** @visibility secret */
        secret: string;
      };
    };
    /**
     * Argo CD `Application` and `AppProject` YAML, as written, as a source of
     * applications and of the project rules they are held to. Applications
     * link to catalog entities through the entity's `argocd/app-name` or the
     * Application's `gitops.backstage.io/entity-refs` annotation.
     */
    argocd?: {
      /**
       * Git folders of Application and AppProject files ("app of apps"),
       * read with the same credentials and limits as applications.
       */
      git?: Array<{
        /** https or ssh URL of the repository. */
        repoURL: string;
        /** Folder inside the repository; defaults to the root. */
        path?: string;
        /** Branch, tag or commit; defaults to `HEAD`. */
        targetRevision?: string;
        /** Read subfolders too (Argo CD's `directory.recurse`). Default false. */
        recurse?: boolean;
      }>;
      /** Namespaces of declared clusters whose Application and AppProject objects are read. */
      clusters?: Array<{
        /** A cluster name declared in `gitops.clusters` (or `in-cluster`). */
        cluster: string;
        /** Defaults to `argocd`. */
        namespace?: string;
      }>;
      /**
       * How often the Git folders are read again (a webhook for their
       * repository reads them at once); their objects are mapped again only
       * when the commit changed. Cluster namespaces are watched. Default 60.
       */
      cacheSeconds?: number;
    };
    /** How the application definitions are kept fresh. */
    definitions?: {
      /**
       * How often the catalog is read for definition entities; only entities
       * whose etag changed are read again. Default 30.
       */
      catalogRefreshSeconds?: number;
    };
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
        /** Argo CD sync options, e.g. `CreateNamespace=true`. */
        syncOptions?: string[];
        /** Labels and annotations of the namespace CreateNamespace=true makes. */
        managedNamespaceMetadata?: {
          labels?: { [name: string]: string };
          annotations?: { [name: string]: string };
        };
        /** How a failed sync is retried, with backoff. */
        retry?: {
          /** Retries after the first attempt; negative means no limit. */
          limit: number;
          backoff?: {
            /** A Go duration; default 5s. */
            duration?: string;
            /** Default 2. */
            factor?: number;
            /** A Go duration; default 3m. */
            maxDuration?: string;
          };
        };
      };
      /**
       * Argo CD's `ignoreDifferences`: a list of `{group, kind, name,
       * namespace, jsonPointers, jqPathExpressions, managedFieldsManagers}`,
       * left out of the comparison and shown as ignored in the diff.
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
  /**
   * The clusters of Backstage's Kubernetes plugin, read as GitOps destinations
   * too (only what the reconciler uses is declared here).
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /** Only `config` locators name destinations; others are ignored here. */
      type: string;
      clusters?: Array<{
        /** The destination name applications use. */
        name: string;
        /** URL of the API server. */
        url: string;
        /** Only `serviceAccount` can be used by the reconciler. */
        authProvider?: string;
        /**
         * Bearer token of the service account the reconciler acts as.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Base64 PEM of the API server's CA. */
        caData?: string;
        /** Path of a PEM file of the API server's CA. */
        caFile?: string;
        /** Do not verify the API server's certificate. Default false. */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };
}
