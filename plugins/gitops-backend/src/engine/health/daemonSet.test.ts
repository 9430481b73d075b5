import { loadFixture } from './__fixtures__/loadFixture';
import { daemonSetHealth } from './daemonSet';

describe('daemonSetHealth', () => {
  it.each([
    ['daemonset-healthy', { status: 'Healthy' }],
    [
      'daemonset-progressing',
      {
        status: 'Progressing',
        message:
          'Waiting for daemon set "node-exporter" rollout to finish: 2 out of 4 new pods have been updated...',
      },
    ],
    [
      'daemonset-progressing-unavailable',
      {
        status: 'Progressing',
        message:
          'Waiting for daemon set "node-exporter" rollout to finish: 3 of 4 updated pods are available...',
      },
    ],
    [
      'daemonset-healthy-ondelete',
      {
        status: 'Healthy',
        message: 'daemon set 1 out of 4 new pods have been updated',
      },
    ],
  ])('%s', (fixture, expected) => {
    expect(daemonSetHealth(loadFixture(fixture))).toEqual(expected);
  });

  it('is Progressing until the controller has observed the spec', () => {
    const obj = loadFixture('daemonset-healthy');
    obj.metadata.generation = 6;
    expect(daemonSetHealth(obj).status).toBe('Progressing');
  });
});
