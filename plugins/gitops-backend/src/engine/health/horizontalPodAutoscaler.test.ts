import { loadFixture } from './__fixtures__/loadFixture';
import { horizontalPodAutoscalerHealth } from './horizontalPodAutoscaler';

describe('horizontalPodAutoscalerHealth', () => {
  it.each([
    [
      'hpa-healthy',
      {
        status: 'Healthy',
        message: 'the desired count is within the acceptable range',
      },
    ],
    [
      'hpa-healthy-limited',
      {
        status: 'Healthy',
        message:
          'the desired replica count is less than the minimum replica count',
      },
    ],
    [
      'hpa-degraded',
      {
        status: 'Degraded',
        message:
          'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
      },
    ],
    [
      'hpa-degraded-v1',
      {
        status: 'Degraded',
        message:
          'the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "legacy-api" not found',
      },
    ],
    [
      'hpa-suspended',
      {
        status: 'Suspended',
        message:
          'scaling is disabled since the replica count of the target is zero',
      },
    ],
    [
      'hpa-progressing',
      { status: 'Progressing', message: 'Waiting to autoscale' },
    ],
  ])('%s', (fixture, expected) => {
    expect(horizontalPodAutoscalerHealth(loadFixture(fixture))).toEqual(
      expected,
    );
  });

  it('is Unknown when the v1 conditions annotation is not JSON', () => {
    const obj = loadFixture('hpa-degraded-v1');
    obj.metadata.annotations = {
      'autoscaling.alpha.kubernetes.io/conditions': '[{',
    };
    expect(horizontalPodAutoscalerHealth(obj).status).toBe('Unknown');
  });
});
