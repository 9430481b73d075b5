export interface Config {
  /** Configuration of the GitOps reconciler plugin. */
  gitops?: {
    /**
     * Accept `http://` repository URLs. Off by default: credentials and
     * manifests would travel unencrypted.
     */
    allowHttpRepositories?: boolean;
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
    }>;
  };
}
