import { loadFixture } from './__fixtures__/loadFixture';
import { podHealth } from './pod';

describe('podHealth', () => {
  it.each([
    ['pod-healthy', 'Healthy', undefined],
    ['pod-healthy-succeeded', 'Healthy', undefined],
    [
      'pod-degraded-crashloop',
      'Degraded',
      'back-off 2m40s restarting failed container=cart pod=cart-7d9c6b5f8d-4xq2n_shop(9e2f1d0c-3b4a-4c5d-8e7f-6a5b4c3d2e10)',
    ],
    [
      'pod-degraded-imagepull',
      'Degraded',
      'Back-off pulling image "registry.example.com/shop/cart:1.4.3"',
    ],
    [
      'pod-degraded-init-crashloop',
      'Degraded',
      'back-off 1m20s restarting failed container=migrate pod=cart-7d9c6b5f8d-4xq2n_shop(9e2f1d0c-3b4a-4c5d-8e7f-6a5b4c3d2e10)',
    ],
    [
      'pod-degraded-failed',
      'Degraded',
      'container "smoke" failed with exit code 22',
    ],
    ['pod-degraded-oomkilled', 'Degraded', 'OOMKilled'],
    ['pod-progressing-not-ready', 'Progressing', undefined],
    ['pod-progressing-pending', 'Progressing', undefined],
    // A hook pod must not fail its phase while the image is still coming.
    ['pod-progressing-hook-imagepull', 'Progressing', undefined],
    // Ready, but a pod that runs to completion is not done until it succeeds.
    ['pod-progressing-hook-running', 'Progressing', undefined],
  ])('%s is %s', (fixture, status, message) => {
    const health = podHealth(loadFixture(fixture));
    expect(health.status).toBe(status);
    expect(health.message).toBe(message);
  });

  it('is Degraded when running unready after a container terminated', () => {
    const obj = loadFixture('pod-progressing-not-ready');
    const status = obj.status as {
      containerStatuses: Record<string, unknown>[];
    };
    status.containerStatuses[0].lastState = {
      terminated: { exitCode: 137, reason: 'Error' },
    };
    expect(podHealth(obj).status).toBe('Degraded');
  });

  it('prefers the pod message when a pod failed', () => {
    const obj = loadFixture('pod-degraded-failed');
    (obj.status as Record<string, unknown>).message =
      'Pod was active on the node longer than the specified deadline';
    expect(podHealth(obj)).toEqual({
      status: 'Degraded',
      message: 'Pod was active on the node longer than the specified deadline',
    });
  });

  it('is Unknown without a phase', () => {
    const obj = loadFixture('pod-healthy');
    obj.status = {};
    expect(podHealth(obj).status).toBe('Unknown');
  });
});
