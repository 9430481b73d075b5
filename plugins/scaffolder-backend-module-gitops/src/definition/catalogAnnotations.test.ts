import { annotateCatalogInfo } from './catalogAnnotations';

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
