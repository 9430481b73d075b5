import { HealthStatusCode } from '@backstage-gitops/plugin-gitops-common';
import { loadFixture } from './__fixtures__/loadFixture';
import { aggregateHealth, isWorse, resourceHealth } from './index';

function withAnnotation(name: string, key: string, value: string) {
  const obj = loadFixture(name);
  obj.metadata.annotations = { ...obj.metadata.annotations, [key]: value };
  return obj;
}

describe('resourceHealth', () => {
  it.each([
    ['deployment-degraded', 'Degraded'],
    ['statefulset-progressing', 'Progressing'],
    ['daemonset-healthy', 'Healthy'],
    ['replicaset-degraded', 'Degraded'],
    ['pod-degraded-crashloop', 'Degraded'],
    ['service-progressing', 'Progressing'],
    ['ingress-healthy', 'Healthy'],
    ['pvc-degraded', 'Degraded'],
    ['job-suspended', 'Suspended'],
    ['cronjob-degraded', 'Degraded'],
    ['hpa-degraded', 'Degraded'],
    ['apiservice-healthy', 'Healthy'],
    ['namespace-healthy', 'Healthy'],
    ['certificate-progressing', 'Progressing'],
  ])('dispatches %s to its rule (%s)', (fixture, status) => {
    expect(resourceHealth(loadFixture(fixture))?.status).toBe(status);
  });

  it('reports no health for kinds without status', () => {
    expect(resourceHealth(loadFixture('configmap-none'))).toBeUndefined();
    expect(resourceHealth(loadFixture('widget-none'))).toBeUndefined();
  });

  it('leaves out objects that ask to be ignored', () => {
    const obj = withAnnotation(
      'deployment-degraded',
      'argocd.argoproj.io/ignore-healthcheck',
      'true',
    );
    expect(resourceHealth(obj)).toBeUndefined();
  });

  it('reports a malformed ignore-healthcheck instead of hiding the object', () => {
    const obj = withAnnotation(
      'deployment-degraded',
      'argocd.argoproj.io/ignore-healthcheck',
      'yes',
    );
    expect(resourceHealth(obj)).toEqual({
      status: 'Unknown',
      message:
        'Deployment/shop/cart: annotation argocd.argoproj.io/ignore-healthcheck: "yes" must be "true" or "false"',
    });
  });

  it('is Progressing while the object is being deleted', () => {
    expect(resourceHealth(loadFixture('namespace-progressing'))).toEqual({
      status: 'Progressing',
      message: 'Pending deletion',
    });
  });

  it('does not apply a built-in rule to the same kind in another group', () => {
    const obj = loadFixture('deployment-degraded');
    obj.apiVersion = 'example.com/v1';
    // The built-in rule would say Degraded (deadline exceeded); the generic
    // rule reads the Available condition instead.
    expect(resourceHealth(obj)).toEqual({
      status: 'Healthy',
      message: 'Deployment has minimum availability.',
    });
  });

  it('accepts the legacy extensions group', () => {
    const obj = loadFixture('ingress-progressing');
    obj.apiVersion = 'extensions/v1beta1';
    expect(resourceHealth(obj)?.status).toBe('Progressing');
  });
});

describe('aggregateHealth', () => {
  const of = (...codes: HealthStatusCode[]) =>
    codes.map(status => ({ status }));

  it('is the worst child in Argo CD order', () => {
    expect(aggregateHealth(of('Healthy', 'Suspended'))).toBe('Suspended');
    expect(aggregateHealth(of('Suspended', 'Progressing'))).toBe('Progressing');
    expect(aggregateHealth(of('Progressing', 'Missing'))).toBe('Missing');
    expect(aggregateHealth(of('Degraded', 'Missing'))).toBe('Degraded');
    expect(aggregateHealth(of('Degraded', 'Unknown', 'Healthy'))).toBe(
      'Unknown',
    );
  });

  it('skips children without health, and is Healthy with none', () => {
    expect(aggregateHealth([undefined, { status: 'Progressing' }])).toBe(
      'Progressing',
    );
    expect(aggregateHealth([])).toBe('Healthy');
    expect(aggregateHealth([undefined])).toBe('Healthy');
  });

  it('ranks with isWorse', () => {
    expect(isWorse('Missing', 'Progressing')).toBe(true);
    expect(isWorse('Suspended', 'Progressing')).toBe(false);
    expect(isWorse('Healthy', 'Healthy')).toBe(false);
  });
});

describe('resourceHealth with registered checks', () => {
  const widget = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    status: {
      ready: false,
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
  const custom = (group: string, kind: string) =>
    group === 'example.com' && kind === 'Widget'
      ? (obj: any) =>
          obj.status?.ready
            ? { status: 'Healthy' as const }
            : { status: 'Degraded' as const, message: 'Widget not ready' }
      : undefined;

  it('asks the check registered for the group and kind before the conditions', () => {
    expect(resourceHealth(widget as any, custom)).toEqual({
      status: 'Degraded',
      message: 'Widget not ready',
    });
    expect(resourceHealth(widget as any)?.status).toBe('Healthy');
  });

  it('falls back to the built-in rules when the check has no answer', () => {
    expect(
      resourceHealth(loadFixture('deployment-degraded'), () => () => undefined)
        ?.status,
    ).toBe('Degraded');
  });
});
