import { OperationDetail } from '@backstage-gitops/plugin-gitops-common';
import { summary } from '../__testUtils__/fakeGitopsBackend';
import { judgeProgress } from './progress';

const operation = (
  phase: OperationDetail['phase'],
  tasks: Partial<OperationDetail['tasks'][number]>[] = [],
): OperationDetail => ({
  id: 'op-1',
  application: 'cart',
  phase,
  initiatedBy: 'user:default/alice',
  dryRun: false,
  startedAt: '2026-11-26T04:00:00Z',
  tasks: tasks.map(t => ({
    key: `${t.kind}/${t.name}`,
    kind: 'Deployment',
    namespace: 'cart',
    name: 'web',
    syncPhase: 'Sync',
    wave: 0,
    isHook: false,
    action: 'apply',
    status: 'Synced',
    message: '',
    ...t,
  })),
});

describe('judgeProgress', () => {
  it('is done only when Synced and Healthy with no operation running', () => {
    const healthy = summary('cart', { sync: 'Synced', health: 'Healthy' });
    expect(judgeProgress(healthy)).toEqual({ state: 'done' });
    expect(judgeProgress(healthy, operation('Succeeded'))).toEqual({
      state: 'done',
    });
    expect(judgeProgress(healthy, operation('Running'))).toEqual({
      state: 'waiting',
      reason: 'sync operation op-1 is Running',
    });
    expect(judgeProgress(summary('cart'))).toEqual({
      state: 'waiting',
      reason: 'not reconciled yet',
    });
  });

  it('keeps waiting on Progressing and OutOfSync, naming errors on the way', () => {
    const app = summary('cart', {
      sync: 'OutOfSync',
      health: 'Missing',
      conditions: [
        { type: 'Warning', message: 'ignored' },
        { type: 'ComparisonError', message: 'repository unreachable' },
      ],
    });
    expect(judgeProgress(app)).toEqual({
      state: 'waiting',
      reason: 'OutOfSync and Missing; ComparisonError: repository unreachable',
    });
  });

  it('fails on a failed operation with its hooks and resources', () => {
    const op = operation('Failed', [
      {
        isHook: true,
        hookType: 'PreSync',
        kind: 'Job',
        name: 'migrate',
        hookPhase: 'Error',
        message: 'pod deleted',
      },
      {
        status: 'SyncFailed',
        kind: 'ConfigMap',
        name: 'settings',
        message: 'field is immutable',
      },
    ]);
    op.message = 'one or more tasks failed';
    expect(judgeProgress(summary('cart'), op)).toEqual({
      state: 'failed',
      reason:
        'sync operation op-1 ended Failed: one or more tasks failed; PreSync hook Job/cart/migrate Error: pod deleted; ConfigMap/cart/settings failed: field is immutable',
    });
  });

  it('fails on a Degraded application once the operation has ended', () => {
    const app = summary('cart', { sync: 'Synced', health: 'Degraded' });
    const op = operation('Succeeded', [
      {
        health: 'Degraded',
        message: 'Deployment exceeded its progress deadline',
      },
    ]);
    expect(judgeProgress(app, op)).toEqual({
      state: 'failed',
      reason:
        'application is Degraded; Deployment/cart/web is Degraded: Deployment exceeded its progress deadline',
    });
    expect(judgeProgress(app, operation('Running')).state).toBe('waiting');
  });

  it('names the Degraded resources, and fails at once on a spec the reconciler refuses', () => {
    const app = {
      ...summary('cart', { sync: 'Synced', health: 'Degraded' }),
      resources: [
        {
          key: 'apps/Deployment/cart/web',
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'cart',
          name: 'web',
          wave: 0,
          isHook: false,
          health: 'Degraded' as const,
          healthMessage: 'Deployment "web" exceeded its progress deadline',
          requiresPruning: false,
        },
      ],
    };
    expect(judgeProgress(app)).toEqual({
      state: 'failed',
      reason:
        'application is Degraded; Deployment/cart/web is Degraded: Deployment "web" exceeded its progress deadline',
    });
    const refused = summary('cart', {
      sync: 'Unknown',
      health: 'Unknown',
      conditions: [
        {
          type: 'InvalidSpecError',
          message:
            'project "shop" does not allow destination in-cluster/kube-system',
        },
      ],
    });
    expect(judgeProgress(refused)).toEqual({
      state: 'failed',
      reason:
        'InvalidSpecError: project "shop" does not allow destination in-cluster/kube-system',
    });
  });
});
