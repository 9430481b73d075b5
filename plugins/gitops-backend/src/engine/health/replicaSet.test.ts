import { loadFixture } from './__fixtures__/loadFixture';
import { replicaSetHealth } from './replicaSet';

describe('replicaSetHealth', () => {
  it.each([
    ['replicaset-healthy', { status: 'Healthy' }],
    [
      'replicaset-progressing',
      {
        status: 'Progressing',
        message:
          'Waiting for rollout to finish: 1 out of 3 new replicas are available...',
      },
    ],
    [
      'replicaset-degraded',
      {
        status: 'Degraded',
        message:
          'pods "cart-7d9c6b5f8d-x2k9q" is forbidden: exceeded quota: shop-quota, requested: limits.cpu=500m, used: limits.cpu=2, limited: limits.cpu=2',
      },
    ],
  ])('%s', (fixture, expected) => {
    expect(replicaSetHealth(loadFixture(fixture))).toEqual(expected);
  });
});
