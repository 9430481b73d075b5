import {
  HealthStatusCode,
  HookPhase,
  OperationPhase,
  TaskAction,
  TaskStatus,
} from '@backstage-gitops/plugin-gitops-common';
import { HookDeletePolicy, HookType } from '../annotations';
import { ResourceHealth } from '../health';
import { Manifest } from '../manifest';
import { SyncPhase } from '../ordering';
import { PropagationPolicy } from '../syncOptions';

// Everything in this file is plain JSON: a state is stored between steps and
// read back by a backend that may have restarted in between.

// The vocabulary of operations is shared with the API and the UI.
export type { HookPhase, OperationPhase, TaskAction, TaskStatus };

/**
 * Where a task is in its own life; the step machine reads this, users read
 * `status`, `hookPhase` and `message`. "In flight" progresses wait for the
 * result of an action the previous step returned.
 */
export type TaskProgress =
  | 'pending'
  /** In flight: the dry-run apply of the validation pass. */
  | 'validating'
  /** In flight: deleting the previous run of a hook (BeforeHookCreation). */
  | 'deleting-previous'
  /** The previous run is being deleted; create once it is gone. */
  | 'awaiting-deletion'
  /** In flight: apply of a resource or creation of a hook. */
  | 'applying'
  /** In flight: deleting a pruned object. */
  | 'deleting'
  /** Applied or deleted; waiting for health, hook completion or removal. */
  | 'running'
  | 'done'
  | 'failed';

/** Enough to find an object again, without keeping its content. */
export type ObjectRef = {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
};

export type RetryBackoff = {
  /** A Go duration: `5s`, `1m30s`, `250ms`. */
  duration: string;
  factor: number;
  maxDuration: string;
};

export type RetryPolicy = {
  /** Retries after the first attempt; negative means no limit, as in Argo CD. */
  limit: number;
  backoff: RetryBackoff;
};

export const DEFAULT_BACKOFF: RetryBackoff = {
  duration: '5s',
  factor: 2,
  maxDuration: '3m',
};

export type SyncOperationOptions = {
  /** Delete live objects that are no longer in Git. */
  prune: boolean;
  /** Apply everything as a server-side dry run; run no hooks, change nothing. */
  dryRun: boolean;
  /** Selective sync: only these resource keys, and no hooks. */
  resources?: string[];
  /** The application's `syncPolicy.syncOptions`, e.g. `PruneLast=true`. */
  syncOptions: string[];
  retry?: RetryPolicy;
  /** Started by auto-sync: guarded by `allowEmpty`. */
  automated?: boolean;
  /** Lets an automated sync prune every resource of the application. */
  allowEmpty?: boolean;
  /** A user confirmed the prune of resources marked `Prune=confirm`. */
  pruneConfirmed?: boolean;
};

export type SyncTask = {
  /** Unique in the operation: a hook in two phases is two tasks. */
  id: string;
  /** `group/kind/namespace/name`, as `resourceKey` gives it. */
  key: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  syncPhase: SyncPhase;
  wave: number;
  isHook: boolean;
  hookType?: HookType;
  action: TaskAction;
  status: TaskStatus;
  hookPhase?: HookPhase;
  /** Last health seen while the wave waited for it. */
  health?: HealthStatusCode;
  message: string;
  startedAt?: string;
  finishedAt?: string;

  /** What is applied or created, tracking id stamped. Holds Secret data. */
  manifest?: Manifest;
  /** What is deleted. */
  ref: ObjectRef;
  serverSide: boolean;
  replace: boolean;
  force: boolean;
  validate: boolean;
  /** Left out of the validation dry run, with the reason. */
  skipDryRun?: string;
  propagationPolicy: PropagationPolicy;
  deletePolicies?: HookDeletePolicy[];
  /**
   * Whether its wave waits for the task to settle (healthy, finished, gone).
   * False only in the last wave when it holds no hook: like Argo CD, a plain
   * apply succeeds once the server accepted it.
   */
  waitUntilSettled: boolean;
  progress: TaskProgress;
};

export type SyncAttempt = {
  startedAt: string;
  finishedAt: string;
  message: string;
};

/**
 * `validate` dry-runs every apply once before anything changes (Argo CD
 * does the same); `validating` waits for those results.
 */
export type SyncStage =
  | 'validate'
  | 'validating'
  | 'sync'
  | 'syncFail'
  | 'done';

export type SyncOperationState = {
  phase: OperationPhase;
  message: string;
  startedAt: string;
  finishedAt?: string;
  appName: string;
  revision?: string;
  /** Who started it (a user ref, or `automated`); set by the caller, kept by every step. */
  initiatedBy?: string;
  options: SyncOperationOptions;
  tasks: SyncTask[];
  /** Where the operation is: the stage, and the phase and wave it waits on. */
  cursor: { stage: SyncStage; phase?: SyncPhase; wave?: number };
  /** Why the current attempt failed, kept while SyncFail hooks run. */
  failure?: string;
  retryCount: number;
  /** When the current attempt started, when it is a retry. */
  attemptStartedAt?: string;
  /** When the next attempt may start; set while a retry waits. */
  nextAttemptAt?: string;
  /** Earlier attempts that failed and were retried. */
  attempts: SyncAttempt[];
  terminateRequested: boolean;
};

/** Instructions for the caller, executed in the order given. */
export type SyncAction =
  | {
      type: 'apply';
      taskId: string;
      key: string;
      manifest: Manifest;
      dryRun: boolean;
      serverSide: boolean;
      replace: boolean;
      force: boolean;
      validate: boolean;
    }
  | {
      type: 'delete';
      taskId: string;
      key: string;
      ref: ObjectRef;
      propagationPolicy: PropagationPolicy;
    }
  | {
      type: 'delete-hook';
      taskId: string;
      key: string;
      ref: ObjectRef;
      propagationPolicy: PropagationPolicy;
      reason: HookDeletePolicy | 'Terminate';
    }
  | { type: 'wait'; reason: string; until?: string };

/** What happened to one action of the previous step. */
export type ActionResult = {
  taskId: string;
  type: 'apply' | 'delete' | 'delete-hook';
  ok: boolean;
  /** The server's words: `configured`, or why it refused. */
  message?: string;
};

/** One object as the caller sees it now. */
export type Observation = {
  present: boolean;
  /** Undefined for a present object whose kind has no health (ConfigMap). */
  health?: ResourceHealth;
  /**
   * Another application whose tracking id the object carries. A hook whose
   * object another application owns is never deleted, applied over or
   * followed: its outcome would be that application's.
   */
  sharedWith?: string;
};

/**
 * What the caller saw since the last step: the result of every action that
 * step returned, and the objects of the tasks, by resource key. A key left
 * out is "not looked at", which never counts as gone or healthy.
 */
export type SyncObservations = {
  results?: ActionResult[];
  resources?: Record<string, Observation>;
};

export type StepResult = { state: SyncOperationState; actions: SyncAction[] };
