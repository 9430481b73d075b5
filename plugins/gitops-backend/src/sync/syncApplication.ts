import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { ClusterClient, FIELD_MANAGER } from '../cluster/ClusterClient';
import { Manifest, syncOptions } from '../engine';
import {
  RetryPolicy,
  SyncOperationOptions,
  SyncOperationState,
  planSync,
  respectIgnoreDifferences,
} from '../engine/sync';
import { ApplicationComparison } from '../compare/compareApplication';
import { LiveState, directLiveState } from '../compare/liveState';
import { secretValuesOf } from './syncSecrets';
import { jqPathsForSync } from '../compare/jq/jqPaths';
import { DEFAULT_POLL_INTERVAL_MS, RunSyncInput, runSync } from './runSync';
import { describeError } from '../cluster/apiServerMessages';

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
  /**
   * Where planning reads the live objects (what may be pruned, what
   * exists): the watch cache the comparison read, or GETs when absent.
   */
  live?: LiveState;
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
  /** Asked between steps: terminate the operation, or stop and leave it to resume. */
  signal?: RunSyncInput['signal'];
  now?: () => Date;
  /** How often the cluster is looked at while a wave waits; 2 s by default. */
  pollIntervalMs?: number;
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
  const { comparison } = input;
  const now = input.now ?? (() => new Date());
  const pollIntervalMs = input.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const desired = [...comparison.desired, ...comparison.hooks];
  const secrets = secretValuesOf(desired);
  const planned = await planOperation(
    input,
    operationOptions(input.options),
    now(),
  );
  const state: SyncOperationState = {
    ...planned,
    initiatedBy: input.initiatedBy,
  };
  await input.onState?.(state);
  return runSync({ ...input, state, secrets, now, pollIntervalMs });
}

function operationOptions(
  options: SyncApplicationOptions = {},
): SyncOperationOptions {
  return {
    prune: options.prune ?? false,
    dryRun: options.dryRun ?? false,
    syncOptions: options.syncOptions ?? [],
    ...(options.resources ? { resources: options.resources } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.automated
      ? { automated: true, allowEmpty: options.allowEmpty ?? false }
      : {}),
  };
}

/**
 * Plans an operation from a comparison: reads the live objects (what may be
 * pruned, what exists), applies RespectIgnoreDifferences, then `planSync`.
 * Also how a resumed operation gets its manifests back (resumeSync.ts).
 */
export async function planOperation(
  input: Pick<
    SyncApplicationInput,
    'app' | 'comparison' | 'cluster' | 'live'
  > & {
    /**
     * A replan of a stored operation: plan the namespace task whatever the
     * live namespace holds now, since the stored state may have it.
     */
    resuming?: boolean;
  },
  options: SyncOperationOptions,
  at: Date,
): Promise<SyncOperationState> {
  const { app, comparison, cluster } = input;
  const liveState = input.live ?? directLiveState(cluster);
  const namespace = app.destination.namespace;
  const desired = [...comparison.desired, ...comparison.hooks];
  const secrets = secretValuesOf(desired);
  const status: Record<string, 'Synced' | 'OutOfSync'> = {};
  const live: Manifest[] = [];
  let liveNamespace: Manifest | undefined;
  try {
    if (
      namespace &&
      !input.resuming &&
      syncOptions(undefined, options.syncOptions).createNamespace
    ) {
      liveNamespace = (await cluster.get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: namespace,
      })) as Manifest | undefined;
    }
    for (const resource of comparison.resources) {
      if (!resource.extraneous) {
        status[resource.key] = resource.comparison.status;
      }
      // What may be pruned (extraneous), and what already exists.
      if (resource.extraneous || resource.health?.status !== 'Missing') {
        const { object } = await liveState.get(resource);
        if (object) live.push(object as Manifest);
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
      namespace,
      managedNamespaceMetadata: app.syncPolicy?.managedNamespaceMetadata,
      liveNamespace,
      fieldManager: FIELD_MANAGER,
    },
    comparison: status,
    options,
    now: at,
  });
}
