import { applicationFromEntity } from '@backstage-gitops/plugin-gitops-common';
import { parse } from 'yaml';
import { annotateCatalogInfo, gitopsAnnotations } from './catalogAnnotations';

const twoEntities = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web # the frontend
  namespace: shop
spec: { type: website, owner: guests }
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: web-api
spec: { type: openapi, owner: guests }
`;

describe('annotateCatalogInfo', () => {
  const set = () => ({
    'gitops.backstage.io/repo-url': 'https://git.example.com/a.git',
  });

  it('annotates the one Component and keeps comments and the other documents', () => {
    const result = annotateCatalogInfo(twoEntities, set);
    expect(result.entityRef).toBe('component:shop/web');
    expect(result.text).toContain('name: web # the frontend');
    expect(result.text).toContain(
      'annotations:\n    gitops.backstage.io/repo-url: https://git.example.com/a.git',
    );
    expect(result.text).toContain(
      '---\napiVersion: backstage.io/v1alpha1\nkind: API',
    );
  });

  it('picks the named entity, and refuses to guess', () => {
    expect(
      annotateCatalogInfo(twoEntities, set, { entityName: 'web-api' })
        .entityRef,
    ).toBe('api:default/web-api');
    expect(() =>
      annotateCatalogInfo(
        `${twoEntities}---\nkind: Component\nmetadata: { name: b }\n`,
        set,
      ),
    ).toThrow(
      'catalog-info.yaml has 2 Components; name the entity to annotate (entityName)',
    );
    expect(() => annotateCatalogInfo('kind: [', set)).toThrow(
      'catalog-info.yaml is not valid YAML',
    );
  });
});

describe('gitopsAnnotations', () => {
  const request = {
    name: 'cart-api',
    repoUrl: 'https://git.example.com/apps.git',
    path: './services/cart/',
    revision: 'main',
    destination: { cluster: 'in-cluster', namespace: 'cart-dev' },
    project: 'default',
    syncPolicy: {
      automated: { prune: true, selfHeal: true, allowEmpty: false },
      syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
      retry: { limit: 3, backoff: { duration: '5s', factor: 2 } },
    },
  };

  it('writes what the reconciler reads back as the same application', () => {
    const { text } = annotateCatalogInfo(
      'kind: Component\nmetadata:\n  name: cart\nspec: {}\n',
      name => gitopsAnnotations(request, name),
    );
    const result = applicationFromEntity(
      { apiVersion: 'backstage.io/v1alpha1', ...parse(text) },
      { allowHttp: false },
    );
    expect(result).toEqual({
      kind: 'application',
      application: {
        name: 'cart-api',
        origin: 'catalog',
        entityRefs: ['component:default/cart'],
        source: {
          repoURL: 'https://git.example.com/apps.git',
          path: 'services/cart',
          targetRevision: 'main',
        },
        destination: { cluster: 'in-cluster', namespace: 'cart-dev' },
        syncPolicy: request.syncPolicy,
      },
    });
  });

  it('refuses what annotations cannot say', () => {
    expect(() =>
      gitopsAnnotations({ ...request, project: 'shop' }, 'cart'),
    ).toThrow(
      'Catalog annotations cannot place an application in project "shop"',
    );
    expect(() =>
      gitopsAnnotations(
        {
          ...request,
          syncPolicy: {
            automated: { prune: false, selfHeal: false, allowEmpty: true },
          },
        },
        'cart',
      ),
    ).toThrow('Catalog annotations cannot carry automated.allowEmpty');
  });
});
