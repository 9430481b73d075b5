import { loadFixture } from './__fixtures__/loadFixture';
import { deploymentHealth } from './deployment';

describe('deploymentHealth', () => {
  it.each([
    ['deployment-healthy', { status: 'Healthy' }],
    [
      'deployment-progressing',
      {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: 1 out of 3 new replicas have been updated...',
      },
    ],
    [
      'deployment-progressing-unavailable',
      {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: 2 of 3 updated replicas are available...',
      },
    ],
    [
      'deployment-progressing-unobserved',
      {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: the controller has not observed the latest generation',
      },
    ],
    [
      'deployment-degraded',
      {
        status: 'Degraded',
        message: 'Deployment "cart" exceeded its progress deadline',
      },
    ],
    [
      'deployment-suspended',
      { status: 'Suspended', message: 'Deployment is paused' },
    ],
  ])('%s', (fixture, expected) => {
    expect(deploymentHealth(loadFixture(fixture))).toEqual(expected);
  });

  it('waits for old replicas to terminate after the new ones are updated', () => {
    const obj = loadFixture('deployment-healthy');
    const status = obj.status as Record<string, unknown>;
    status.replicas = 4;
    expect(deploymentHealth(obj)).toEqual({
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: 1 old replicas are pending termination...',
    });
  });
});
