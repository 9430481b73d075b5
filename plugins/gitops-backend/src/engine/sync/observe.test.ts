import { loadFixture } from '../health/__fixtures__/loadFixture';
import { Manifest } from '../manifest';
import { configMap, deployment, job, plan } from './__testing__/simulate';
import { hookPhaseOf, observeResources, settle } from './observe';

const finishedJob = (condition: 'Complete' | 'Failed'): Manifest => ({
  ...job('migrate'),
  status: {
    conditions: [{ type: condition, status: 'True', message: 'done here' }],
  },
});

describe('hookPhaseOf', () => {
  it.each([
    [undefined, 'Succeeded'],
    ['Healthy', 'Succeeded'],
    ['Degraded', 'Failed'],
    ['Unknown', 'Failed'],
    ['Progressing', 'Running'],
    ['Suspended', 'Running'],
  ] as const)('reads %s as %s', (status, phase) => {
    expect(hookPhaseOf(status && { status })).toBe(phase);
  });
});

describe('observeResources', () => {
  it('reports every task, with health from the live object', () => {
    const state = plan([
      deployment('web'),
      configMap('settings'),
      job('migrate'),
    ]);
    const observed = observeResources(state, [
      configMap('settings'),
      finishedJob('Failed'),
    ]);
    expect(observed).toEqual({
      'apps/Deployment/shop/web': { present: false },
      '/ConfigMap/shop/settings': { present: true, health: undefined },
      'batch/Job/shop/migrate': {
        present: true,
        health: { status: 'Degraded', message: 'done here' },
      },
    });
  });
});

describe('settle', () => {
  const now = new Date('2025-01-01T00:01:00.000Z');
  const running = {
    ...plan([job('migrate')]).tasks[0],
    progress: 'running' as const,
  };

  it('leaves a task alone when its object was not looked at', () => {
    expect(settle(running, undefined, now)).toEqual({
      task: running,
      actions: [],
    });
  });

  it('marks a resource Missing while it is not there, without failing', () => {
    expect(settle(running, { present: false }, now).task).toMatchObject({
      progress: 'running',
      health: 'Missing',
    });
  });

  it('keeps waiting on Unknown health', () => {
    const settled = settle(
      running,
      { present: true, health: { status: 'Unknown' } },
      now,
    );
    expect(settled.task).toMatchObject({
      progress: 'running',
      health: 'Unknown',
    });
  });

  it('finishes a resource once Healthy, recording when', () => {
    const settled = settle(
      running,
      { present: true, health: { status: 'Healthy' } },
      now,
    );
    expect(settled.task).toMatchObject({
      progress: 'done',
      health: 'Healthy',
      finishedAt: '2025-01-01T00:01:00.000Z',
    });
  });

  it('drops the message of an earlier health: a ReplicaSet done rolling out is not "Waiting for rollout to finish"', () => {
    // The same ReplicaSet as Kubernetes writes its status, 1 then 3 of 3 available.
    const progressing = loadFixture('replicaset-progressing');
    const healthy = loadFixture('replicaset-healthy');
    const state = plan([progressing]);
    const task = { ...state.tasks[0], progress: 'running' as const };
    const waiting = settle(
      task,
      observeResources(state, [progressing])[task.key],
      now,
    ).task;
    expect(waiting).toMatchObject({
      progress: 'running',
      health: 'Progressing',
      message:
        'Waiting for rollout to finish: 1 out of 3 new replicas are available...',
    });
    const done = settle(
      waiting,
      observeResources(state, [healthy])[task.key],
      now,
    ).task;
    expect(done).toMatchObject({
      progress: 'done',
      health: 'Healthy',
      message: 'healthy',
    });
  });

  it('keeps the apply message when the first health has none', () => {
    const settled = settle(
      { ...running, message: 'applied' },
      { present: true, health: { status: 'Healthy' } },
      now,
    );
    expect(settled.task.message).toBe('applied');
  });
});
