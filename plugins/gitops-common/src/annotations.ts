/**
 * Annotations that link a catalog entity to the GitOps reconciler.
 *
 * An entity that carries {@link GITOPS_REPO_URL_ANNOTATION} describes one
 * application: where its manifests live and where they are deployed. An entity
 * can instead (or as well) name existing Argo CD applications with
 * {@link ARGOCD_APP_NAME_ANNOTATION}, the key the community Argo CD plugin uses.
 *
 * @public
 */
export const GITOPS_REPO_URL_ANNOTATION = 'gitops.backstage.io/repo-url';
/** @public Folder inside the repository; defaults to the repository root. */
export const GITOPS_PATH_ANNOTATION = 'gitops.backstage.io/path';
/** @public Branch, tag or commit; defaults to `HEAD`. */
export const GITOPS_TARGET_REVISION_ANNOTATION =
  'gitops.backstage.io/target-revision';
/** @public Name of a cluster declared in config; defaults to `in-cluster`. */
export const GITOPS_DESTINATION_CLUSTER_ANNOTATION =
  'gitops.backstage.io/destination-cluster';
/** @public Namespace the manifests go to when they do not name one. */
export const GITOPS_DESTINATION_NAMESPACE_ANNOTATION =
  'gitops.backstage.io/destination-namespace';
/** @public Application name; defaults to the entity's name. */
export const GITOPS_APPLICATION_NAME_ANNOTATION =
  'gitops.backstage.io/application-name';
/** @public `"true"` syncs automatically when Git changes (Argo CD's `automated`). */
export const GITOPS_AUTO_SYNC_ANNOTATION = 'gitops.backstage.io/auto-sync';
/** @public With auto-sync, `"true"` also prunes what left Git. */
export const GITOPS_AUTO_SYNC_PRUNE_ANNOTATION =
  'gitops.backstage.io/auto-sync-prune';
/** @public With auto-sync, `"true"` also undoes live drift (selfHeal). */
export const GITOPS_SELF_HEAL_ANNOTATION = 'gitops.backstage.io/self-heal';
/** @public Comma-separated names of Argo CD applications linked to the entity. */
export const ARGOCD_APP_NAME_ANNOTATION = 'argocd/app-name';
/**
 * @public On an Argo CD `Application` (the other side of the link): catalog
 * entities it belongs to, comma-separated entity refs such as
 * `component:default/cart` (kind defaults to Component, namespace to default).
 */
export const GITOPS_ENTITY_REFS_ANNOTATION = 'gitops.backstage.io/entity-refs';
/**
 * @public On an Argo CD `Application`: `;`-separated paths (relative to
 * `spec.source.path`, or absolute from the repository root with a leading
 * `/`) whose changes a Git webhook refreshes it for, as in Argo CD.
 */
export const ARGOCD_MANIFEST_GENERATE_PATHS_ANNOTATION =
  'argocd.argoproj.io/manifest-generate-paths';

/** @public The cluster an application deploys to when none is named. */
export const DEFAULT_CLUSTER_NAME = 'in-cluster';
/** @public The revision an application follows when none is named. */
export const DEFAULT_TARGET_REVISION = 'HEAD';

// Argo CD's resource annotations, accepted as written in existing repositories.

/** @public Sync wave of a resource or hook: an integer, may be negative. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** @public Hook phases: PreSync, Sync, PostSync, SyncFail, PostDelete, Skip. */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** @public HookSucceeded, HookFailed, BeforeHookCreation (combinable). */
export const HOOK_DELETE_POLICY_ANNOTATION =
  'argocd.argoproj.io/hook-delete-policy';
/** @public Per-resource sync options, `A=b,C=d`. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** @public Per-resource compare options, e.g. `IgnoreExtraneous`. */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';
/** @public `"true"` leaves the resource out of the application's health. */
export const IGNORE_HEALTHCHECK_ANNOTATION =
  'argocd.argoproj.io/ignore-healthcheck';
/** @public Which application manages a resource: `<app>:<group>/<kind>:<ns>/<name>`. */
export const TRACKING_ID_ANNOTATION = 'argocd.argoproj.io/tracking-id';
/** @public Helm's hook annotations, mapped onto Argo CD's hooks. */
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
/** @public */
export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
/** @public */
export const HELM_HOOK_DELETE_POLICY_ANNOTATION = 'helm.sh/hook-delete-policy';

/**
 * @public App-wide Argo CD sync options, comma-separated as in the resource
 * annotation: `CreateNamespace=true, PruneLast=true`.
 */
export const GITOPS_SYNC_OPTIONS_ANNOTATION =
  'gitops.backstage.io/sync-options';
/**
 * @public Retry of a failed sync (Argo CD's `syncPolicy.retry`), as
 * `limit=5, duration=5s, factor=2, maxDuration=3m`; only `limit` is required.
 */
export const GITOPS_SYNC_RETRY_ANNOTATION = 'gitops.backstage.io/sync-retry';
/**
 * @public Argo CD's `spec.ignoreDifferences`, as a YAML (or JSON) list of
 * `{group, kind, name, namespace, jsonPointers, jqPathExpressions,
 * managedFieldsManagers}`.
 */
export const GITOPS_IGNORE_DIFFERENCES_ANNOTATION =
  'gitops.backstage.io/ignore-differences';
