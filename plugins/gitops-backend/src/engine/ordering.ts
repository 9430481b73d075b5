/** The phases a sync runs in order; SyncFail runs only when the sync failed. */
export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/** What the sync order looks at; tasks may carry anything else. */
export type OrderKey = {
  phase: SyncPhase;
  wave: number;
  kind: string;
  name: string;
  /** Only breaks ties Argo CD leaves open, so the order is total. */
  group?: string;
  namespace?: string;
};

/**
 * Kinds in the order they are applied within one wave, exactly as
 * gitops-engine's `pkg/sync/sync_tasks.go` (itself taken from Helm's
 * kind_sorter): what others depend on comes first.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

// Unknown kinds (custom resources) go after every known one, because their
// CRDs and the workloads serving them must exist first.
function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index < 0 ? KIND_ORDER.length : index;
}

function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/**
 * The one sync order: phase, then wave, then kind, then name. Sorting by this
 * gives the order tasks are applied in; nothing else may reorder them.
 */
export function compareSyncOrder(a: OrderKey, b: OrderKey): number {
  return (
    SYNC_PHASES.indexOf(a.phase) - SYNC_PHASES.indexOf(b.phase) ||
    a.wave - b.wave ||
    kindRank(a.kind) - kindRank(b.kind) ||
    // Byte order, as Go compares strings: locale rules would make the order
    // depend on the server's settings.
    compareText(a.name, b.name) ||
    compareText(a.kind, b.kind) ||
    compareText(a.group ?? '', b.group ?? '') ||
    compareText(a.namespace ?? '', b.namespace ?? '')
  );
}

export type PruneCandidate = OrderKey & {
  /** The task deletes a live object that is no longer in Git. */
  prune: boolean;
  /** `PruneLast=true` from the app-wide options or the object. */
  pruneLast: boolean;
};

/**
 * Gives prune tasks the waves they run in, as Argo CD does: the distinct waves
 * of prune tasks are mirrored (the highest wave is deleted first, so what was
 * created last goes first), and PruneLast tasks move to one wave after the
 * last wave of the Sync phase. Other tasks come back unchanged; nothing is
 * mutated.
 */
export function pruneOrder<T extends PruneCandidate>(tasks: readonly T[]): T[] {
  const waves = [
    ...new Set(tasks.filter(task => task.prune).map(task => task.wave)),
  ].sort((a, b) => a - b);
  const mirrored = new Map(
    waves.map((wave, index) => [wave, waves[waves.length - 1 - index]]),
  );
  const reversed = tasks.map(task =>
    task.prune ? { ...task, wave: mirrored.get(task.wave) ?? task.wave } : task,
  );
  // Argo CD starts from wave 0, so PruneLast lands in wave 1 or later even
  // when every wave is negative.
  const lastSyncWave = reversed
    .filter(task => task.phase === 'Sync')
    .reduce((last, task) => Math.max(last, task.wave), 0);
  return reversed.map(task =>
    task.prune && task.pruneLast ? { ...task, wave: lastSyncWave + 1 } : task,
  );
}

export type WaveGroup<T> = { phase: SyncPhase; wave: number; tasks: T[] };

/**
 * Sorts tasks into the sync order and cuts them where phase or wave changes.
 * A sync applies one group per step and moves on only when the group is
 * applied and healthy.
 */
export function groupIntoWaves<T extends OrderKey>(
  tasks: readonly T[],
): WaveGroup<T>[] {
  const groups: WaveGroup<T>[] = [];
  for (const task of [...tasks].sort(compareSyncOrder)) {
    const last = groups[groups.length - 1];
    if (last && last.phase === task.phase && last.wave === task.wave) {
      last.tasks.push(task);
    } else {
      groups.push({ phase: task.phase, wave: task.wave, tasks: [task] });
    }
  }
  return groups;
}
