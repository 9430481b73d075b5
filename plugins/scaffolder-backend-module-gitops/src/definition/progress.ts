import {
  ApplicationResource,
  ApplicationSummary,
  OperationDetail,
  OperationTask,
  isWarningCondition,
} from '@backstage-gitops/plugin-gitops-common';

/** Where an application stands on its way to Synced and Healthy. */
export type Progress =
  | { state: 'done' }
  | { state: 'waiting'; reason: string }
  | { state: 'failed'; reason: string };

const describeTask = (t: OperationTask) =>
  `${t.kind}/${t.namespace ? `${t.namespace}/` : ''}${t.name}`;

/** The tasks that explain a failed or degraded operation, in words. */
function culprits(operation: OperationDetail): string[] {
  const hooks = operation.tasks
    .filter(
      t => t.isHook && (t.hookPhase === 'Failed' || t.hookPhase === 'Error'),
    )
    .map(
      t =>
        `${t.hookType ?? 'hook'} hook ${describeTask(t)} ${t.hookPhase}${
          t.message ? `: ${t.message}` : ''
        }`,
    );
  const failed = operation.tasks
    .filter(t => !t.isHook && t.status === 'SyncFailed')
    .map(t => `${describeTask(t)} failed${t.message ? `: ${t.message}` : ''}`);
  const degraded = operation.tasks
    .filter(t => !t.isHook && t.health === 'Degraded')
    .map(
      t => `${describeTask(t)} is Degraded${t.message ? `: ${t.message}` : ''}`,
    );
  return [...hooks, ...failed, ...degraded];
}

/**
 * Judges an application against the goal of `gitops:application:wait`:
 * Synced and Healthy with no operation running. A failed or errored
 * operation, or a Degraded application once its operation has ended, is a
 * failure with the reason (the failing hook, the Degraded resource); anything
 * else is worth waiting for. `operation` is the one being followed, if any.
 */
export function judgeProgress(
  app: ApplicationSummary & { resources?: ApplicationResource[] },
  operation?: OperationDetail,
): Progress {
  if (operation?.phase === 'Failed' || operation?.phase === 'Error') {
    const why = culprits(operation);
    return {
      state: 'failed',
      reason: [
        `sync operation ${operation.id} ended ${operation.phase}${
          operation.message ? `: ${operation.message}` : ''
        }`,
        ...why,
      ].join('; '),
    };
  }
  if (operation && operation.phase !== 'Succeeded') {
    return {
      state: 'waiting',
      reason: `sync operation ${operation.id} is ${operation.phase}`,
    };
  }
  const { status } = app;
  if (!status) return { state: 'waiting', reason: 'not reconciled yet' };
  const errors = (status.conditions ?? []).filter(c => !isWarningCondition(c));
  // A spec the reconciler refuses (say, one its AppProject does not allow)
  // stays refused until Git changes: waiting would only reach the timeout.
  const invalid = errors.filter(c => c.type === 'InvalidSpecError');
  if (invalid.length) {
    return {
      state: 'failed',
      reason: invalid.map(c => `${c.type}: ${c.message}`).join('; '),
    };
  }
  if (status.health === 'Degraded') {
    const degraded = (app.resources ?? [])
      .filter(r => r.health === 'Degraded')
      .map(
        r =>
          `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${
            r.name
          } is Degraded${r.healthMessage ? `: ${r.healthMessage}` : ''}`,
      );
    const why = [
      ...(operation ? culprits(operation) : []),
      ...degraded,
      ...errors.map(c => `${c.type}: ${c.message}`),
    ];
    return {
      state: 'failed',
      reason: ['application is Degraded', ...why].join('; '),
    };
  }
  if (status.sync === 'Synced' && status.health === 'Healthy') {
    return { state: 'done' };
  }
  const why = errors.map(c => `${c.type}: ${c.message}`);
  return {
    state: 'waiting',
    reason: [`${status.sync} and ${status.health}`, ...why].join('; '),
  };
}
