import { ApplicationDefinition } from '@internal/backstage-plugin-gitops-common';
import {
  ClusterClient,
  PropagationPolicy as ClusterPropagationPolicy,
} from '../cluster/ClusterClient';
import { KubeApiError } from '../cluster/kubeRequest';
import { Manifest, PropagationPolicy } from '../engine';
import {
  ActionResult,
  Observation,
  RetryPolicy,
  SyncAction,
  SyncObservations,
  SyncOperationState,
  SyncTask,
  isFinished,
  nextStep,
  observeResources,
  planSync,
  requestTermination,
  respectIgnoreDifferences,
} from '../engine/sync';
import { ApplicationComparison } from './compareApplication';
import { redact, secretValuesOf } from './syncSecrets';
import { applyObject } from './applyObject';
import { jqPathsForSync } from './jq/jqPaths';

export type SyncApplicationOptions = {
  /** Delete live objects that left Git; off by default, as in Argo CD. */
  prune?: boolean;
  /** Server-side dry run of every apply; nothing changes, no hook runs. */
  dryRun?: boolean;
  /** Selective sync: only these resource keys, and no hooks. */
  resources?: string[];
  /** The application's sync options, e.g. `PruneLast=true`. */
  syncOptions?: string[];
  retry?: RetryPolicy;
  /** Started by auto-sync: an empty Git may not prune everything. */
  automated?: boolean;
  allowEmpty?: boolean;
};

export type SyncApplicationInput = {
  app: ApplicationDefinition;
  /** A fresh `compareApplication` of the same application. */
  comparison: ApplicationComparison;
  cluster: ClusterClient;
  options?: SyncApplicationOptions;
  /** A user ref, or `automated`; kept in the state. */
  initiatedBy: string;
  /**
   * Called with the state after planning and after every step, before its
   * actions run, so a restarted backend can resume from it. The state holds
   * the manifests to apply in `tasks[].manifest`, Secret data in clear:
   * persist it encrypted or drop `manifest` before storing it in clear, and
   * never show `manifest` to users. Every other field is free of Secret data.
   */
  onState?: (state: SyncOperationState) => Promise<void>;
  /** Asked between steps; true terminates the operation (running hooks are deleted). */
  signal?: { terminateRequested(): boolean };
  now?: () => Date;
  /** How often the cluster is looked at while a wave waits; 2 s by default. */
  pollIntervalMs?: number;
};

const DEFAULT_POLL_INTERVAL_MS = 2000;

const PROPAGATION: Record<PropagationPolicy, ClusterPropagationPolicy> = {
  foreground: 'Foreground',
  background: 'Background',
  orphan: 'Orphan',
};

/**
 * Runs one sync operation of an application against its cluster: the I/O
 * loop around the pure state machine of `engine/sync`. Plans from the
 * comparison, then repeats: step, persist (`onState`), execute the actions in
 * order, look at the objects of the tasks, until the operation is finished.
 * Failures of the API server become failed task results carrying the
 * server's message, Secret values masked; only a failing `onState` throws.
 */
export async function syncApplication(
  input: SyncApplicationInput,
): Promise<SyncOperationState> {
  const { comparison, cluster, signal } = input;
  const now = input.now ?? (() => new Date());
  const pollIntervalMs = input.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const report = async (state: SyncOperationState) => {
    await input.onState?.(state);
  };
  const terminateRequested = () => signal?.terminateRequested() ?? false;

  const desired = [...comparison.desired, ...comparison.hooks];
  const secrets = secretValuesOf(desired);
  const planned = await planOperation(input, desired, secrets, now());
  let state: SyncOperationState = {
    ...planned,
    initiatedBy: input.initiatedBy,
  };
  await report(state);

  let observations: SyncObservations = {};
  while (!isFinished(state)) {
    if (terminateRequested()) {
      state = requestTermination(state);
    }
    const step = nextStep(state, observations, now());
    state = step.state;
    await report(state);

    const results: ActionResult[] = [];
    let wait: Extract<SyncAction, { type: 'wait' }> | undefined;
    for (const action of step.actions) {
      if (action.type === 'wait') {
        wait = action;
      } else {
        results.push(await execute(cluster, action, secrets));
      }
    }
    if (isFinished(state)) {
      // Fire-and-forget hook deletions may come with the last step.
      break;
    }
    if (results.length === 0) {
      await pause(wait?.until, now, pollIntervalMs, terminateRequested);
    }
    observations = { results, resources: await observe(cluster, state) };
  }
  return state;
}

async function planOperation(
  input: SyncApplicationInput,
  desired: Manifest[],
  secrets: readonly string[],
  at: Date,
): Promise<SyncOperationState> {
  const { app, comparison, cluster } = input;
  const options = {
    prune: input.options?.prune ?? false,
    dryRun: input.options?.dryRun ?? false,
    syncOptions: input.options?.syncOptions ?? [],
    ...(input.options?.resources ? { resources: input.options.resources } : {}),
    ...(input.options?.retry ? { retry: input.options.retry } : {}),
    ...(input.options?.automated
      ? { automated: true, allowEmpty: input.options.allowEmpty ?? false }
      : {}),
  };
  const status: Record<string, 'Synced' | 'OutOfSync'> = {};
  const live: Manifest[] = [];
  try {
    for (const resource of comparison.resources) {
      if (!resource.extraneous) {
        status[resource.key] = resource.comparison.status;
      }
      // What may be pruned (extraneous), and what already exists.
      if (resource.extraneous || resource.health?.status !== 'Missing') {
        const obj = await cluster.get(resource);
        if (obj) live.push(obj as Manifest);
      }
    }
  } catch (error) {
    const message = `cannot read the live objects of ${
      app.name
    }: ${describeError(error, secrets)}`;
    return {
      phase: 'Error',
      message,
      startedAt: at.toISOString(),
      finishedAt: at.toISOString(),
      appName: app.name,
      revision: comparison.revision,
      options,
      tasks: [],
      cursor: { stage: 'done' },
      retryCount: 0,
      attempts: [],
      terminateRequested: false,
    };
  }
  return planSync({
    appName: app.name,
    revision: comparison.revision,
    desired: respectIgnoreDifferences(
      desired,
      live,
      options.syncOptions,
      app.ignoreDifferences ?? [],
      await jqPathsForSync(
        app.ignoreDifferences ?? [],
        desired,
        live,
        options.syncOptions,
      ),
    ),
    live,
    destination: {
      namespace: app.destination.namespace,
      managedNamespaceMetadata: app.syncPolicy?.managedNamespaceMetadata,
    },
    comparison: status,
    options,
    now: at,
  });
}

async function execute(
  cluster: ClusterClient,
  action: Exclude<SyncAction, { type: 'wait' }>,
  secrets: readonly string[],
): Promise<ActionResult> {
  const { taskId, type } = action;
  try {
    if (action.type === 'apply') {
      // Server-side apply, which takes over conflicting fields as kubectl
      // apply does, unless Replace, Force or Validate say otherwise.
      await applyObject(cluster, action);
    } else {
      // Already gone counts as deleted: a resumed step may repeat a delete.
      await cluster.delete(action.ref, {
        propagationPolicy: PROPAGATION[action.propagationPolicy],
      });
    }
    return { taskId, type, ok: true };
  } catch (error) {
    return { taskId, type, ok: false, message: describeError(error, secrets) };
  }
}

/**
 * The server's own words, Secret values masked. A refusal without a Status
 * body would otherwise be described by the request, so it is given by code.
 */
function describeError(error: unknown, secrets: readonly string[]): string {
  if (error instanceof KubeApiError) {
    const message = error.reason.startsWith('HTTP')
      ? `the API server answered ${error.statusCode}`
      : error.message;
    return redact(message, secrets);
  }
  return redact(
    error instanceof Error ? error.message : String(error),
    secrets,
  );
}

// What the next step reads of a task's object: health or presence once it is
// applied or deleted, and whether a hook's previous run still exists.
function needsLook(task: SyncTask): boolean {
  switch (task.progress) {
    case 'done':
    case 'failed':
    case 'validating':
      return false;
    case 'pending':
      return task.isHook;
    default:
      return true;
  }
}

/**
 * The objects the next step needs, by resource key. An object that cannot
 * be read is left out: "not looked at", never "gone" or "healthy".
 */
async function observe(
  cluster: ClusterClient,
  state: SyncOperationState,
): Promise<Record<string, Observation>> {
  const refs = new Map<string, SyncTask>();
  for (const task of state.tasks) {
    if (needsLook(task) && !refs.has(task.key)) refs.set(task.key, task);
  }
  const looked: SyncTask[] = [];
  const live: Manifest[] = [];
  for (const task of refs.values()) {
    try {
      const obj = await cluster.get(task.ref);
      looked.push(task);
      if (obj) live.push(obj as Manifest);
    } catch {
      // Not looked at: the next poll tries again.
    }
  }
  return observeResources({ ...state, tasks: looked }, live);
}

/** Sleeps until `until`, or one poll interval; wakes early to terminate. */
async function pause(
  until: string | undefined,
  now: () => Date,
  pollIntervalMs: number,
  terminateRequested: () => boolean,
): Promise<void> {
  // Measured on the real clock once: `now` may be a test's clock.
  const delay = until ? Date.parse(until) - now().getTime() : pollIntervalMs;
  const deadline = Date.now() + delay;
  for (let left = delay; left > 0; left = deadline - Date.now()) {
    await new Promise(resolve =>
      setTimeout(resolve, Math.min(left, pollIntervalMs)),
    );
    if (terminateRequested()) return;
  }
}
