/** @public Whether the live state matches Git, as Argo CD reports it. */
export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

/** @public Health of a resource or application, in Argo CD's vocabulary. */
export type HealthStatusCode =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** @public Where an application's desired state lives. */
export type ApplicationSource = {
  repoURL: string;
  /** Folder inside the repository, relative, without a leading slash. */
  path: string;
  targetRevision: string;
  /** Argo CD's `directory` options (plain manifests and Jsonnet). */
  directory?: ApplicationDirectoryOptions;
  /** Argo CD's `helm` options, for a chart kept in Git. */
  helm?: ApplicationHelmOptions;
  /** Argo CD's `kustomize` options. */
  kustomize?: ApplicationKustomizeOptions;
};

/** @public Argo CD's `source.directory`. */
export type ApplicationDirectoryOptions = {
  recurse?: boolean;
  /** Glob of files to read, relative to the path. */
  include?: string;
  /** Glob of files to leave out; wins over `include`. */
  exclude?: string;
  jsonnet?: {
    extVars?: { name: string; value: string; code?: boolean }[];
    tlas?: { name: string; value: string; code?: boolean }[];
    libs?: string[];
  };
};

/** @public Argo CD's `source.helm`, the parts the renderer supports. */
export type ApplicationHelmOptions = {
  valueFiles?: string[];
  ignoreMissingValueFiles?: boolean;
  values?: string;
  valuesObject?: Record<string, unknown>;
  parameters?: { name: string; value: string; forceString?: boolean }[];
  releaseName?: string;
  skipCrds?: boolean;
};

/** @public Argo CD's `source.kustomize`, the parts the renderer supports. */
export type ApplicationKustomizeOptions = {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  namespace?: string;
};

/** @public Where an application is deployed. */
export type ApplicationDestination = {
  /** Name of a cluster declared in the backend's config. */
  cluster: string;
  namespace?: string;
};

/**
 * @public Which of the supported definitions an application came from:
 * catalog annotations, app-config, or an Argo CD `Application` (from Git or
 * from a cluster).
 */
export type ApplicationOrigin = 'catalog' | 'config' | 'argocd';

/**
 * @public Argo CD's `syncPolicy.automated`: sync when Git changes (each
 * revision once), prune what left Git, and with selfHeal also undo live drift.
 */
export type AutomatedSyncPolicy = {
  prune: boolean;
  selfHeal: boolean;
  /** Lets an automated sync prune every resource of the application. */
  allowEmpty: boolean;
};

/** @public Argo CD's `syncPolicy.retry`: how a failed sync is tried again. */
export type ApplicationRetryPolicy = {
  /** Retries after the first attempt; negative means no limit. */
  limit: number;
  backoff?: {
    /** A duration such as `5s` or `2m`. */
    duration?: string;
    factor?: number;
    maxDuration?: string;
  };
};

/** @public Argo CD's `syncPolicy`, as written in an Application. */
export type ApplicationSyncPolicy = {
  /** Absent: manual sync only, as in Argo CD. */
  automated?: AutomatedSyncPolicy;
  /** Argo CD sync options as written, such as `CreateNamespace=true`. */
  syncOptions?: string[];
  retry?: ApplicationRetryPolicy;
  /** Labels and annotations for the namespace `CreateNamespace=true` makes. */
  managedNamespaceMetadata?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
};

/** @public One entry of an Application's `spec.ignoreDifferences`. */
export type ApplicationIgnoreDifference = {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
};

/** @public An application as the backend knows it, before any reconcile. */
export type ApplicationDefinition = {
  name: string;
  origin: ApplicationOrigin;
  /** Catalog entities the application belongs to, as entity refs. */
  entityRefs: string[];
  /** The Argo CD AppProject it belongs to; absent means `default`. */
  project?: string;
  source: ApplicationSource;
  destination: ApplicationDestination;
  syncPolicy?: ApplicationSyncPolicy;
  ignoreDifferences?: ApplicationIgnoreDifference[];
  /**
   * Argo CD's `manifest-generate-paths`: repository paths (from the root)
   * whose changes a Git webhook refreshes the application for. Absent: any
   * change under `source.path`.
   */
  manifestGeneratePaths?: string[];
};

/** @public The last observed state of an application, once reconciled. */
export type ApplicationStatus = {
  sync: SyncStatusCode;
  health: HealthStatusCode;
  revision?: string;
  reconciledAt?: string;
  /** What the status rests on, in words; errors first. */
  conditions?: ApplicationCondition[];
  /** The commit behind `revision`, from the Git mirror. */
  revisionInfo?: RevisionInfo;
  /** Set while a rollback holds automated sync back. */
  autoSyncPaused?: AutoSyncPause;
};

/** @public A commit, as people recognise it. */
export type RevisionInfo = {
  /** The commit message, shortened to a few hundred characters. */
  message: string;
  /** The author's name (never the e-mail address). */
  author: string;
  /** Author date, ISO 8601. */
  date?: string;
};

/**
 * @public Automated sync held back after a rollback: it resumes by itself
 * once Git moves past `gitRevision`, so the rolled-back revision is not
 * redeployed behind the user's back.
 */
export type AutoSyncPause = {
  reason: 'rollback';
  /** The revision rolled back to. */
  revision: string;
  /** Git's revision when the rollback happened; absent until first seen. */
  gitRevision?: string;
  /** The rollback's sync operation. */
  operationId: string;
  /** Who rolled back. */
  by: string;
  at: string;
};

/** @public Kinds of condition, after Argo CD's application conditions. */
export type ApplicationConditionType =
  | 'ComparisonError'
  | 'InvalidSpecError'
  | 'SyncError'
  /** selfHeal stopped: another field manager keeps undoing a repair. */
  | 'SyncLoop'
  /** Another application tracks or renders the same object (Argo CD's name). */
  | 'SharedResourceWarning'
  | 'Warning';

/** @public One reason behind an application's status, in words. */
export type ApplicationCondition = {
  type: ApplicationConditionType;
  message: string;
};

/**
 * @public
 * Whether a condition only informs: it neither makes the application
 * OutOfSync nor stops an automated sync.
 */
export function isWarningCondition(condition: ApplicationCondition): boolean {
  return (
    condition.type === 'Warning' || condition.type === 'SharedResourceWarning'
  );
}

/**
 * An application with its status. `status` is absent until the reconciler has
 * compared it at least once, so the UI can say so instead of guessing.
 *
 * @public
 */
export type ApplicationSummary = ApplicationDefinition & {
  status?: ApplicationStatus;
};

/** @public Response of `GET /applications`. */
export type ListApplicationsResponse = {
  items: ApplicationSummary[];
  /** Problems found while reading definitions, in words, per entity or entry. */
  problems: ApplicationProblem[];
  totalItems: number;
};

/** @public A definition that could not be read, with the reason. */
export type ApplicationProblem = {
  /** The entity ref or config path of the broken definition. */
  origin: string;
  message: string;
};

/** @public Phase of a sync operation, as Argo CD names them. */
export type OperationPhase =
  | 'Running'
  | 'Terminating'
  | 'Failed'
  | 'Error'
  | 'Succeeded';

/** @public A task's result as Argo CD reports it, plus the two states before one. */
export type TaskStatus =
  | 'Synced'
  | 'SyncFailed'
  | 'Pruned'
  | 'PruneSkipped'
  | 'Pending'
  | 'Running';

/** @public Phase of a hook's run. */
export type HookPhase =
  | 'Running'
  | 'Succeeded'
  | 'Failed'
  | 'Error'
  | 'Terminating';

/** @public What a task does to its object. */
export type TaskAction = 'apply' | 'prune' | 'create-hook' | 'delete-hook';

/** @public One sync operation, as lists show it. */
export type OperationSummary = {
  id: string;
  application: string;
  phase: OperationPhase;
  /** A user entity ref, or `automated`. */
  initiatedBy: string;
  revision?: string;
  dryRun: boolean;
  /**
   * A sync of chosen resources only. Argo CD records no history entry for
   * it, so it cannot be rolled back to.
   */
  selective?: boolean;
  message?: string;
  startedAt: string;
  finishedAt?: string;
};

/**
 * @public One resource or hook of an operation: the rows of the results
 * table and the bars of the hook timeline.
 */
export type OperationTask = {
  key: string;
  kind: string;
  namespace: string;
  name: string;
  syncPhase: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  wave: number;
  isHook: boolean;
  hookType?: string;
  action: TaskAction;
  status: TaskStatus;
  hookPhase?: HookPhase;
  health?: HealthStatusCode;
  message: string;
  startedAt?: string;
  finishedAt?: string;
};

/** @public An operation with its per-resource results. */
export type OperationDetail = OperationSummary & { tasks: OperationTask[] };

/** @public An action the audit trail records. */
export type AuditAction =
  | 'sync'
  | 'refresh'
  | 'hard-refresh'
  | 'terminate'
  | 'rollback';

/** @public One entry of an application's audit trail. */
export type AuditEntry = {
  id: string;
  application: string;
  action: AuditAction;
  /** A user entity ref, or `service:<subject>`. */
  actor: string;
  outcome: 'accepted' | 'refused' | 'failed';
  /** Why it was refused or failed, in words. */
  message?: string;
  /** The request's options, such as `{ prune: true }` or an operation id. */
  details?: Record<string, unknown>;
  at: string;
};

/** @public Response of `GET /applications/:name/audit`, newest first. */
export type ListAuditResponse = {
  items: AuditEntry[];
  totalItems: number;
};

/** @public A resource of an application, as the last comparison saw it. */
export type ApplicationResource = {
  /** `group/kind/namespace/name`, unique within the application. */
  key: string;
  group: string;
  version: string;
  kind: string;
  namespace?: string;
  name: string;
  wave: number;
  /** Hooks run during syncs and are not compared, so they have no `sync`. */
  isHook: boolean;
  hookType?: string;
  sync?: 'Synced' | 'OutOfSync';
  health?: HealthStatusCode;
  healthMessage?: string;
  /** Live but gone from Git: a sync with prune would delete it. */
  requiresPruning: boolean;
};

/** @public One path of a diff: what a sync would do there. */
export type ResourceDiffChange = {
  path: string;
  op: 'add' | 'remove' | 'replace';
  desired?: unknown;
  live?: unknown;
};

/** @public A path left out of the comparison, shown as ignored. */
export type ResourceDiffIgnoredPath = {
  path: string;
  reason: string;
  /** Whether it would have counted as a difference. */
  differs: boolean;
};

/**
 * @public Desired against live for one resource, normalised and with Secret
 * values masked. `changes` is empty exactly when it is Synced.
 */
export type ResourceDiff = {
  key: string;
  group: string;
  kind: string;
  namespace?: string;
  name: string;
  sync: 'Synced' | 'OutOfSync';
  requiresPruning: boolean;
  changes: ResourceDiffChange[];
  /** The desired object as YAML, keys sorted; empty when Git lacks it. */
  desiredText: string;
  /** The live object as YAML; empty when the cluster lacks it. */
  liveText: string;
  ignored: ResourceDiffIgnoredPath[];
  /** Rules or options that could not be applied, in words. */
  notes: string[];
};

/** @public Response of `GET /applications/:name/diff`. */
export type ApplicationDiffResponse = { items: ResourceDiff[] };

/** @public Response of `GET /applications/:name`. */
export type ApplicationDetail = ApplicationSummary & {
  resources: ApplicationResource[];
  /** The newest operation that changed something (not a dry run). */
  lastSync?: OperationSummary;
  /** The newest operation of any kind, to follow a running one. */
  lastOperation?: OperationSummary;
};

/** @public Body of `POST /applications/:name/rollback`. */
export type RollbackRequest = {
  /** The history entry (a succeeded sync) whose revision to deploy again. */
  operationId: string;
  prune?: boolean;
  dryRun?: boolean;
};

/** @public Response of `GET /applications/:name/operations`. */
export type ListOperationsResponse = {
  items: OperationSummary[];
  totalItems: number;
};
