import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readCatalogEntries } from './catalogEntries';

const entity = (name: string, etag: string, path: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    etag,
    annotations: {
      'gitops.backstage.io/repo-url': 'https://git.example.com/apps.git',
      'gitops.backstage.io/path': path,
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const linking: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ui',
    namespace: 'default',
    etag: 'u1',
    annotations: { 'argocd/app-name': 'guestbook, other' },
  },
  spec: { type: 'website', owner: 'team-a', lifecycle: 'production' },
};

const plain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain', namespace: 'default', etag: 'p1' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

describe('readCatalogEntries', () => {
  const credentials = mockCredentials.service();

  it('maps again only the entities whose etag changed', async () => {
    const first = await readCatalogEntries({
      catalog: catalogServiceMock({
        entities: [
          entity('shop', 'a1', 'shop'),
          entity('cart', 'b1', 'cart'),
          linking,
          plain,
        ],
      }),
      credentials,
      allowHttp: false,
    });
    expect([...first.keys()]).toEqual([
      'component:default/shop',
      'component:default/cart',
      'component:default/ui',
    ]);
    expect(first.get('component:default/ui')?.links).toEqual([
      'guestbook',
      'other',
    ]);
    expect(first.get('component:default/shop')?.application?.source.path).toBe(
      'shop',
    );

    const second = await readCatalogEntries({
      catalog: catalogServiceMock({
        entities: [
          entity('shop', 'a1', 'shop'),
          entity('cart', 'b2', 'web'),
          linking,
        ],
      }),
      credentials,
      allowHttp: false,
      previous: first,
    });
    // The same object: not mapped again.
    expect(second.get('component:default/shop')).toBe(
      first.get('component:default/shop'),
    );
    expect(second.get('component:default/cart')?.application?.source.path).toBe(
      'web',
    );
    expect(second.get('component:default/cart')).not.toBe(
      first.get('component:default/cart'),
    );
  });

  it('turns broken annotations into a problem named after the entity', async () => {
    const broken = entity('broken', 'c1', 'x');
    broken.metadata.annotations!['gitops.backstage.io/repo-url'] =
      'http://git.example.com/a.git';
    const entries = await readCatalogEntries({
      catalog: catalogServiceMock({ entities: [broken] }),
      credentials,
      allowHttp: false,
    });
    const entry = entries.get('component:default/broken');
    expect(entry?.application).toBeUndefined();
    expect(entry?.problem?.origin).toBe('component:default/broken');
  });
});
