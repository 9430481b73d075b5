import { newJob, newObject } from './__testing__/builders';
import {
  describeObject,
  isManifest,
  parseApiVersion,
  withEmptyName,
  resourceKey,
  withGeneratedName,
} from './manifest';

describe('parseApiVersion', () => {
  it.each([
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['v1', { group: '', version: 'v1' }],
    ['cert-manager.io/v1', { group: 'cert-manager.io', version: 'v1' }],
    ['a/b/c', undefined],
    ['', undefined],
    ['/v1', undefined],
  ])('%s', (apiVersion, expected) => {
    expect(parseApiVersion(apiVersion)).toEqual(expected);
  });
});

describe('resourceKey', () => {
  it('is group/kind/namespace/name, with empty core group and scope', () => {
    expect(resourceKey(newJob('migrate', 'shop'))).toBe(
      'batch/Job/shop/migrate',
    );
    expect(resourceKey(newObject('v1', 'Service', 'web', 'default'))).toBe(
      '/Service/default/web',
    );
    expect(resourceKey(newObject('v1', 'Namespace', 'shop'))).toBe(
      '/Namespace//shop',
    );
  });

  it('does not depend on the served version', () => {
    const v1 = newObject('autoscaling/v1', 'HorizontalPodAutoscaler', 'a', 'x');
    const v2 = newObject('autoscaling/v2', 'HorizontalPodAutoscaler', 'a', 'x');
    expect(resourceKey(v1)).toBe(resourceKey(v2));
  });
});

describe('describeObject', () => {
  it('names namespaced, cluster-scoped and generated objects', () => {
    expect(
      describeObject(newObject('apps/v1', 'Deployment', 'cart', 'shop')),
    ).toBe('Deployment/shop/cart');
    expect(describeObject(newObject('v1', 'Namespace', 'shop'))).toBe(
      'Namespace/shop',
    );
    const generated = newJob('', 'shop');
    generated.metadata.generateName = 'smoke-';
    expect(describeObject(generated)).toBe('Job/shop/smoke-*');
  });
});

describe('isManifest', () => {
  it('accepts a Kubernetes object', () => {
    expect(isManifest(newJob())).toBe(true);
  });

  it.each([
    ['a string', 'kind: Job'],
    ['no metadata', { apiVersion: 'v1', kind: 'Pod' }],
    ['no kind', { apiVersion: 'v1', metadata: { name: 'a' } }],
    [
      'a bad apiVersion',
      { apiVersion: 'a/b/c', kind: 'Pod', metadata: { name: 'a' } },
    ],
    [
      'neither name nor generateName',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: '' } },
    ],
    [
      'a numeric annotation',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'a', annotations: { x: 1 } },
      },
    ],
  ])('refuses %s', (_, value) => {
    expect(isManifest(value)).toBe(false);
  });

  it('accepts a generateName-only hook', () => {
    expect(
      isManifest({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: '', generateName: 'smoke-' },
      }),
    ).toBe(true);
  });
});

describe('withGeneratedName', () => {
  it('names a generateName-only object deterministically', () => {
    const hook = newJob('', 'shop');
    hook.metadata.generateName = 'smoke-';
    const at = new Date('2025-01-01T00:00:00.000Z');
    const named = withGeneratedName(hook, '0123456789abcdef', 'PostSync', at);
    expect(named.metadata.name).toBe('smoke-0123456-postsync-1735689600');
    // No revision (yet): no empty part, no double dash.
    expect(
      withGeneratedName(hook, undefined, 'PreSync', at).metadata.name,
    ).toBe('smoke-presync-1735689600');
    expect(hook.metadata.name).toBe('');
  });

  it('keeps an explicit name', () => {
    const job = newJob('migrate');
    expect(withGeneratedName(job, 'x', 'PreSync', new Date())).toBe(job);
  });
});

describe('withEmptyName', () => {
  it('gives a generateName-only hook an empty name, which isManifest accepts', () => {
    const hook = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { generateName: 'migrate-' },
    };
    expect(isManifest(hook)).toBe(false);
    const named = withEmptyName(hook);
    expect(named.metadata).toEqual({ generateName: 'migrate-', name: '' });
    expect(isManifest(named)).toBe(true);
  });

  it('leaves everything else alone', () => {
    const plain = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a' },
    };
    expect(withEmptyName(plain)).toBe(plain);
    const nameless = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
    expect(withEmptyName(nameless)).toBe(nameless);
    expect(withEmptyName('text')).toBe('text');
  });
});
