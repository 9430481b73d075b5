import { loadFixture } from './__fixtures__/loadFixture';
import { customResourceHealth, isInProgressReason } from './customResource';

describe('customResourceHealth', () => {
  it.each([
    [
      'certificate-healthy',
      {
        status: 'Healthy',
        message: 'Certificate is up to date and has not expired',
      },
    ],
    [
      'certificate-progressing',
      {
        status: 'Progressing',
        message: 'Issuing certificate as Secret does not exist',
      },
    ],
    [
      'kustomization-degraded',
      {
        status: 'Degraded',
        message:
          "kustomize build failed: accumulating resources: accumulation err='accumulating resources from 'ingress.yaml': missing Resource metadata'",
      },
    ],
    [
      'kustomization-progressing',
      {
        status: 'Progressing',
        message: 'Waiting for the controller to observe generation 3',
      },
    ],
    ['bucket-progressing', { status: 'Progressing', message: 'Creating' }],
    [
      'bucket-degraded',
      {
        status: 'Degraded',
        message:
          'create failed: BucketAlreadyExists: The requested bucket name is not available',
      },
    ],
  ])('%s', (fixture, expected) => {
    expect(customResourceHealth(loadFixture(fixture))).toEqual(expected);
  });

  it('reports no health without conditions', () => {
    expect(customResourceHealth(loadFixture('widget-none'))).toBeUndefined();
  });

  it('reports no health when no condition it knows is present', () => {
    const obj = loadFixture('widget-none');
    obj.status = {
      conditions: [{ type: 'Synced', status: 'True', reason: 'Available' }],
    };
    expect(customResourceHealth(obj)).toBeUndefined();
  });

  it('treats a Ready condition from an older generation as Progressing', () => {
    const obj = loadFixture('certificate-healthy');
    obj.metadata.generation = 2;
    expect(customResourceHealth(obj)?.status).toBe('Progressing');
  });

  it('uses Available when there is no Ready condition', () => {
    const obj = loadFixture('widget-none');
    obj.status = {
      conditions: [
        {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
        },
      ],
    };
    expect(customResourceHealth(obj)?.status).toBe('Degraded');
  });

  it('is Progressing when only Reconciling is true', () => {
    const obj = loadFixture('widget-none');
    obj.status = {
      conditions: [
        { type: 'Reconciling', status: 'True', message: 'Applying revision 4' },
      ],
    };
    expect(customResourceHealth(obj)).toEqual({
      status: 'Progressing',
      message: 'Applying revision 4',
    });
  });

  it('ignores malformed conditions', () => {
    const obj = loadFixture('widget-none');
    obj.status = { conditions: [{ type: 'Ready', status: 'yes' }, 'Ready'] };
    expect(customResourceHealth(obj)).toBeUndefined();
  });
});

describe('isInProgressReason', () => {
  it.each([
    ['Progressing', true],
    ['ReconciliationInProgress', true],
    ['WaitingForDependencies', true],
    ['DependencyNotReady', true],
    ['Creating', true],
    ['PendingDeletion', true],
    ['Pendingly', false],
    ['BuildFailed', false],
    ['DoesNotExist', false],
    [undefined, false],
  ])('%s → %s', (reason, expected) => {
    expect(isInProgressReason(reason)).toBe(expected);
  });
});
