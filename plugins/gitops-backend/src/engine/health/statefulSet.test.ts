import { loadFixture } from './__fixtures__/loadFixture';
import { statefulSetHealth } from './statefulSet';

describe('statefulSetHealth', () => {
  it.each([
    [
      'statefulset-healthy',
      {
        status: 'Healthy',
        message:
          'partitioned roll out complete: 3 new pods have been updated...',
      },
    ],
    [
      'statefulset-progressing',
      { status: 'Progressing', message: 'Waiting for 1 pods to be ready...' },
    ],
    [
      'statefulset-progressing-partitioned',
      {
        status: 'Progressing',
        message:
          'Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...',
      },
    ],
    [
      'statefulset-healthy-partitioned',
      {
        status: 'Healthy',
        message:
          'partitioned roll out complete: 2 new pods have been updated...',
      },
    ],
    [
      'statefulset-healthy-ondelete',
      { status: 'Healthy', message: 'statefulset has 3 ready pods' },
    ],
  ])('%s', (fixture, expected) => {
    expect(statefulSetHealth(loadFixture(fixture))).toEqual(expected);
  });

  it('is Progressing until the controller has observed the spec', () => {
    const obj = loadFixture('statefulset-healthy');
    obj.metadata.generation = 3;
    expect(statefulSetHealth(obj).status).toBe('Progressing');
  });

  it('compares revisions when no rolling update parameters are set', () => {
    const obj = loadFixture('statefulset-healthy');
    obj.spec = { replicas: 3, updateStrategy: { type: 'RollingUpdate' } };
    expect(statefulSetHealth(obj).status).toBe('Healthy');
    (obj.status as Record<string, unknown>).updateRevision =
      'postgres-84f7c9d6b';
    expect(statefulSetHealth(obj)).toEqual({
      status: 'Progressing',
      message:
        'waiting for statefulset rolling update to complete 3 pods at revision postgres-84f7c9d6b...',
    });
  });
});
