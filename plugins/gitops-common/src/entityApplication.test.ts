import { Entity } from '@backstage/catalog-model';
import {
  applicationFromEntity,
  isGitopsAvailable,
  linkedArgoApplicationNames,
} from './entityApplication';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'Shop-Cart', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

describe('applicationFromEntity', () => {
  it('reads a fully annotated component', () => {
    const result = applicationFromEntity(
      component({
        'gitops.backstage.io/repo-url': 'https://git.example.com/shop.git',
        'gitops.backstage.io/path': './deploy/cart/',
        'gitops.backstage.io/target-revision': 'v1.2.0',
        'gitops.backstage.io/destination-cluster': 'staging',
        'gitops.backstage.io/destination-namespace': 'shop',
        'gitops.backstage.io/application-name': 'cart',
      }),
    );
    expect(result).toEqual({
      kind: 'application',
      application: {
        name: 'cart',
        origin: 'catalog',
        entityRefs: ['component:default/shop-cart'],
        source: {
          repoURL: 'https://git.example.com/shop.git',
          path: 'deploy/cart',
          targetRevision: 'v1.2.0',
        },
        destination: { cluster: 'staging', namespace: 'shop' },
      },
    });
  });

  it('fills in defaults the way Argo CD does', () => {
    const result = applicationFromEntity(
      component({ 'gitops.backstage.io/repo-url': 'git@git.example.com:a/b' }),
    );
    expect(result).toMatchObject({
      kind: 'application',
      application: {
        name: 'shop-cart',
        source: { path: '', targetRevision: 'HEAD' },
        destination: { cluster: 'in-cluster', namespace: undefined },
      },
    });
  });

  it('reads an automated sync policy, manual by default', () => {
    const automated = applicationFromEntity(
      component({
        'gitops.backstage.io/repo-url': 'https://git.example.com/a.git',
        'gitops.backstage.io/auto-sync': 'true',
        'gitops.backstage.io/self-heal': 'true',
      }),
    );
    expect(automated).toMatchObject({
      application: {
        syncPolicy: {
          automated: { prune: false, selfHeal: true, allowEmpty: false },
        },
      },
    });
    const manual = applicationFromEntity(
      component({
        'gitops.backstage.io/repo-url': 'https://git.example.com/a.git',
      }),
    );
    expect(manual.kind === 'application' && manual.application.syncPolicy).toBe(
      undefined,
    );
  });

  it('ignores entities without the repository annotation', () => {
    expect(applicationFromEntity(component({}))).toEqual({ kind: 'none' });
  });

  it.each([
    ['ext::sh -c touch% /tmp/pwned', 'remote helper'],
    ['-uhttps://x', 'must not start with "-"'],
    ['file:///etc', 'scheme "file" is not allowed'],
    ['http://git.example.com/a.git', 'plain http'],
    ['not a url', 'not a valid URL'],
  ])('refuses the repository URL %s', (url, message) => {
    const result = applicationFromEntity(
      component({ 'gitops.backstage.io/repo-url': url }),
    );
    expect(result).toEqual({
      kind: 'problem',
      message: expect.stringContaining(message),
    });
  });

  it('accepts plain http only when enabled', () => {
    const entity = component({
      'gitops.backstage.io/repo-url': 'http://git.example.com/a.git',
    });
    expect(applicationFromEntity(entity, { allowHttp: true }).kind).toBe(
      'application',
    );
  });

  it.each([
    ['../other', 'must not contain ".."'],
    ['deploy/../../etc', 'must not contain ".."'],
    ['/etc', 'must be relative'],
  ])('refuses the path %s', (path, message) => {
    const result = applicationFromEntity(
      component({
        'gitops.backstage.io/repo-url': 'https://git.example.com/a.git',
        'gitops.backstage.io/path': path,
      }),
    );
    expect(result).toEqual({
      kind: 'problem',
      message: expect.stringContaining(message),
    });
  });

  it('accepts dotted application names up to 253 characters, as Argo CD does', () => {
    const annotated = (name: string) =>
      applicationFromEntity(
        component({
          'gitops.backstage.io/repo-url': 'https://git.example.com/a.git',
          'gitops.backstage.io/application-name': name,
        }),
      );
    expect(annotated('example.guestbook')).toMatchObject({
      kind: 'application',
      application: { name: 'example.guestbook' },
    });
    const long = `${'a'.repeat(200)}.${'b'.repeat(52)}`;
    expect(long).toHaveLength(253);
    expect(annotated(long)).toMatchObject({
      kind: 'application',
      application: { name: long },
    });
    expect(annotated(`${long}c`)).toMatchObject({ kind: 'problem' });
    expect(annotated('.example.guestbook')).toMatchObject({ kind: 'problem' });
    expect(annotated('Example.guestbook')).toMatchObject({ kind: 'problem' });
  });

  it('refuses names that Kubernetes would refuse', () => {
    const result = applicationFromEntity(
      component({
        'gitops.backstage.io/repo-url': 'https://git.example.com/a.git',
        'gitops.backstage.io/destination-namespace': 'Shop_NS',
      }),
    );
    expect(result).toEqual({
      kind: 'problem',
      message: 'destination namespace "Shop_NS" is not a valid Kubernetes name',
    });
  });
});

describe('isGitopsAvailable', () => {
  it('is true for the gitops or the Argo CD annotation, false otherwise', () => {
    expect(
      isGitopsAvailable(
        component({ 'gitops.backstage.io/repo-url': 'https://x/y.git' }),
      ),
    ).toBe(true);
    expect(isGitopsAvailable(component({ 'argocd/app-name': 'cart' }))).toBe(
      true,
    );
    expect(isGitopsAvailable(component({ 'argocd/app-name': ' ' }))).toBe(
      false,
    );
    expect(isGitopsAvailable(component({}))).toBe(false);
  });
});

describe('linkedArgoApplicationNames', () => {
  it('splits a comma list and drops blanks', () => {
    expect(
      linkedArgoApplicationNames(
        component({ 'argocd/app-name': 'cart, cart-eu,,' }),
      ),
    ).toEqual(['cart', 'cart-eu']);
  });
});
