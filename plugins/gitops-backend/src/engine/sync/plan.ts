import {
  HookType,
  deletePolicies,
  hookTypes,
  isHookObject,
  isSkipped,
  syncWave,
} from '../annotations';
import {
  Manifest,
  describeObject,
  resourceKey,
  withGeneratedName,
} from '../manifest';
import {
  PruneCandidate,
  SyncPhase,
  groupIntoWaves,
  pruneOrder,
} from '../ordering';
import { SyncOptions, syncOptions } from '../syncOptions';
import { isTrackedBy, stamp } from '../tracking';
import { SyncDestination, createNamespaceTask } from './createNamespace';
import { dryRunSkipper } from './dryRun';
import { sharedResourceError } from './sharedResource';
import { parseDuration } from './retry';
import { newTask } from './task';
import { SyncOperationOptions, SyncOperationState, SyncTask } from './types';

export type PlanInput = {
  appName: string;
  /** The Git revision being synced; part of generated hook names. */
  revision?: string;
  /** Rendered manifests, namespaces filled in. */
  desired: Manifest[];
  /** Live objects of the application; only those it tracks can be pruned. */
  live: Manifest[];
  /** Per resource key; a key not listed counts as OutOfSync. */
  comparison: Record<string, 'Synced' | 'OutOfSync'>;
  options: SyncOperationOptions;
  /** For `CreateNamespace=true`. */
  destination?: SyncDestination;
  now: Date;
};

// Hooks of these types run during a sync; PreDelete and PostDelete only when
// the application is deleted.
const SYNC_HOOK_PHASES: readonly HookType[] = [
  'PreSync',
  'Sync',
  'PostSync',
  'SyncFail',
];

function pruneSkipReason(
  options: SyncOperationOptions,
  resource: SyncOptions,
): string | undefined {
  if (!options.prune) {
    return 'ignored (requires pruning)';
  }
  if (resource.prune === false) {
    return 'ignored (Prune=false)';
  }
  if (resource.prune === 'confirm' && !options.pruneConfirmed) {
    return 'ignored (Prune=confirm: sync again with the prune confirmed)';
  }
  return undefined;
}

function stopped(
  input: PlanInput,
  phase: 'Failed' | 'Error',
  message: string,
): SyncOperationState {
  const now = input.now.toISOString();
  return {
    phase,
    message,
    startedAt: now,
    finishedAt: now,
    appName: input.appName,
    revision: input.revision,
    options: input.options,
    tasks: [],
    cursor: { stage: 'done' },
    retryCount: 0,
    attempts: [],
    terminateRequested: false,
  };
}

/**
 * Turns desired and live objects into the tasks of one sync operation, in the
 * order they will run. Never throws: bad input gives a state in phase Error
 * that says what is wrong, so it can be stored and shown like any other.
 */
export function planSync(input: PlanInput): SyncOperationState {
  const { appName, desired, options } = input;
  const errors: string[] = [];
  const selected = options.resources && new Set(options.resources);
  const isSelected = (key: string) => !selected || selected.has(key);
  const namespaceTask = createNamespaceTask(
    options.syncOptions,
    input.destination,
    desired,
  );
  const skipDryRun = dryRunSkipper(
    namespaceTask?.manifest ? [namespaceTask.manifest, ...desired] : desired,
    input.live,
  );
  // Hook names made from generateName must be the same at every step, and
  // differ between operations.
  const syncId = [
    input.revision?.slice(0, 7),
    Math.floor(input.now.getTime() / 1000),
  ]
    .filter(part => part !== undefined && part !== '')
    .join('-');

  const tasks: SyncTask[] = namespaceTask ? [namespaceTask] : [];
  const liveByKey = new Map(input.live.map(obj => [resourceKey(obj), obj]));
  const failures: string[] = [];
  const inGit = new Set<string>();
  let resourceCount = 0;
  for (const obj of desired) {
    const types = hookTypes(obj);
    const wave = syncWave(obj);
    if (types instanceof Error || wave instanceof Error) {
      for (const error of [types, wave]) {
        if (error instanceof Error) {
          errors.push(error.message);
        }
      }
      continue;
    }
    const resourceOptions = syncOptions(obj, options.syncOptions);
    const hookPhases = SYNC_HOOK_PHASES.filter(type => types.includes(type));
    if (types.length > 0) {
      if (isSkipped(types) && obj.metadata.name) {
        // Still in Git, so never pruned; Argo CD would prune it.
        inGit.add(resourceKey(obj));
      }
      if (selected || hookPhases.length === 0) {
        continue;
      }
      const policies = deletePolicies(obj);
      if (policies instanceof Error) {
        errors.push(policies.message);
        continue;
      }
      for (const phase of hookPhases as SyncPhase[]) {
        const named = stamp(
          withGeneratedName(obj, syncId, phase, wave),
          appName,
        );
        tasks.push({
          ...newTask(named, phase, wave, resourceOptions),
          manifest: named,
          isHook: true,
          hookType: phase,
          action: 'create-hook',
          deletePolicies: policies,
          ...(options.dryRun
            ? { progress: 'done', message: 'not run in a dry run' }
            : {}),
        });
      }
      continue;
    }
    if (!obj.metadata.name) {
      errors.push(`${describeObject(obj)}: only hooks may use generateName`);
      continue;
    }
    const key = resourceKey(obj);
    if (inGit.has(key)) {
      errors.push(`${describeObject(obj)}: appears twice`);
      continue;
    }
    inGit.add(key);
    resourceCount += 1;
    const outOfSync = input.comparison[key] !== 'Synced';
    if (
      !isSelected(key) ||
      (resourceOptions.applyOutOfSyncOnly && !outOfSync)
    ) {
      continue;
    }
    if (resourceOptions.failOnSharedResource) {
      const shared = sharedResourceError(obj, liveByKey, appName);
      if (shared) {
        failures.push(shared);
        continue;
      }
    }
    const manifest = stamp(obj, appName);
    const reason = skipDryRun(obj, resourceOptions);
    tasks.push({
      ...newTask(manifest, 'Sync', wave, resourceOptions),
      manifest,
      ...(reason ? { skipDryRun: reason } : {}),
    });
  }

  // Old hook runs are not resources; nor is anything another app owns.
  const prunable = input.live.filter(
    obj =>
      !isHookObject(obj) &&
      isTrackedBy(obj, appName) &&
      !inGit.has(resourceKey(obj)),
  );
  const skipped: SyncTask[] = [];
  const pruneLast = new Set<string>();
  let pruneCount = 0;
  for (const obj of prunable.filter(o => isSelected(resourceKey(o)))) {
    const resourceOptions = syncOptions(obj, options.syncOptions);
    // A wave annotation that no longer parses cannot be fixed in Git any
    // more: the object is gone from there. Prune it in wave 0.
    const parsedWave = syncWave(obj);
    const wave = parsedWave instanceof Error ? 0 : parsedWave;
    const task: SyncTask = {
      ...newTask(obj, 'Sync', wave, resourceOptions),
      id: `prune:${resourceKey(obj)}`,
      action: 'prune',
    };
    const reason = pruneSkipReason(options, resourceOptions);
    if (reason) {
      skipped.push({
        ...task,
        status: 'PruneSkipped',
        message: reason,
        progress: 'done',
      });
    } else {
      pruneCount += 1;
      tasks.push(task);
      if (resourceOptions.pruneLast) {
        pruneLast.add(task.id);
      }
    }
  }

  if (options.retry) {
    for (const text of [
      options.retry.backoff.duration,
      options.retry.backoff.maxDuration,
    ]) {
      if (parseDuration(text) === undefined) {
        errors.push(`retry backoff: "${text}" is not a duration`);
      }
    }
  }
  const ids = new Set<string>();
  for (const task of tasks) {
    if (ids.has(task.id)) {
      errors.push(`${task.kind}/${task.namespace}/${task.name}: appears twice`);
    }
    ids.add(task.id);
  }
  if (errors.length > 0) {
    return stopped(
      input,
      'Error',
      `cannot plan the sync: ${errors.join('; ')}`,
    );
  }
  if (failures.length > 0) {
    return stopped(input, 'Failed', failures.join('; '));
  }
  if (
    options.automated &&
    !options.allowEmpty &&
    resourceCount === 0 &&
    pruneCount > 0 &&
    pruneCount === prunable.length
  ) {
    return stopped(
      input,
      'Failed',
      `automated sync refused: it would prune all ${pruneCount} resources of ` +
        `${appName} because Git has none; set allowEmpty to allow it`,
    );
  }

  const ordered = pruneOrder(
    tasks.map(task => ({
      ...task,
      phase: task.syncPhase,
      prune: task.action === 'prune',
      pruneLast: pruneLast.has(task.id),
    })),
  );
  return initialState(input, ordered, skipped);
}

type OrderedTask = SyncTask & PruneCandidate;

function initialState(
  input: PlanInput,
  ordered: OrderedTask[],
  skipped: SyncTask[],
): SyncOperationState {
  const runnable = groupIntoWaves(ordered).filter(
    group =>
      group.phase !== 'SyncFail' &&
      group.tasks.some(task => task.progress !== 'done'),
  );
  const last = runnable[runnable.length - 1];
  const finalGroup =
    last && !last.tasks.some(task => task.isHook) ? last : undefined;
  const all: OrderedTask[] = [
    ...ordered,
    ...skipped.map(task => ({
      ...task,
      phase: task.syncPhase,
      prune: false,
      pruneLast: false,
    })),
  ];
  const tasks = groupIntoWaves(all).flatMap(group =>
    group.tasks.map(({ phase, prune, pruneLast: _, ...task }) => ({
      ...task,
      waitUntilSettled: !(
        finalGroup &&
        phase === finalGroup.phase &&
        task.wave === finalGroup.wave
      ),
    })),
  );
  return {
    phase: 'Running',
    message: `planned ${tasks.length} task(s)`,
    startedAt: input.now.toISOString(),
    appName: input.appName,
    revision: input.revision,
    options: input.options,
    tasks,
    cursor: { stage: 'validate' },
    retryCount: 0,
    attempts: [],
    terminateRequested: false,
  };
}
