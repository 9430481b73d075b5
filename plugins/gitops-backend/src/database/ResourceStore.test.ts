import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationStatusStore } from './ApplicationStatusStore';
import { migrateDownAll, migrateUp } from './migrations';
import { OperationStore } from './OperationStore';
import { ResourceStore, StoredResource } from './ResourceStore';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const deployment: StoredResource = {
  key: 'apps/Deployment/shop/cart',
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'cart',
  wave: 1,
  isHook: false,
  sync: 'OutOfSync',
  health: 'Degraded',
  healthMessage: 'Deployment "cart" exceeded its progress deadline',
  requiresPruning: false,
  diff: {
    changes: [{ path: '/spec/replicas', op: 'replace', desired: 3, live: 2 }],
    desiredText: 'spec:\n  replicas: 3\n',
    liveText: 'spec:\n  replicas: 2\n',
    ignored: [
      { path: '/metadata/annotations/owner', reason: 'rule', differs: true },
    ],
    notes: [],
  },
};
const namespace: StoredResource = {
  key: '/Namespace//shop',
  group: '',
  version: 'v1',
  kind: 'Namespace',
  name: 'shop',
  wave: -1,
  isHook: false,
  sync: 'Synced',
  health: 'Healthy',
  requiresPruning: false,
};
const hook: StoredResource = {
  key: 'batch/Job//migrate-*',
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  name: 'migrate-*',
  wave: 0,
  isHook: true,
  hookType: 'PreSync',
  requiresPruning: false,
};

describe.each(databases.eachSupportedId())('on %s', databaseId => {
  async function createStore() {
    const knex = await databases.init(databaseId);
    const store = await ResourceStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('migrates up and all the way down again', async () => {
    const { knex } = await createStore();
    expect(await knex.schema.hasTable('application_resources')).toBe(true);
    expect(await knex.schema.hasColumn('operations', 'diff')).toBe(true);
    expect(
      await knex.schema.hasColumn('application_status', 'auto_sync_paused'),
    ).toBe(true);
    await migrateDownAll(knex);
    expect(await knex.schema.hasTable('application_resources')).toBe(false);
    await migrateUp(knex);
    expect(await knex.schema.hasTable('application_resources')).toBe(true);
  });

  it('replaces resources as a whole, keeps their order, and serves diffs apart', async () => {
    const { store } = await createStore();
    await store.replaceResources('cart', [namespace, deployment, hook]);
    await store.replaceResources('other', [namespace]);

    const { diff: _diff, ...listed } = deployment;
    expect(await store.listResources('cart')).toEqual([
      namespace,
      listed,
      hook,
    ]);
    expect(await store.listDiffs('cart')).toEqual([
      {
        key: deployment.key,
        group: 'apps',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'cart',
        sync: 'OutOfSync',
        requiresPruning: false,
        ...deployment.diff,
      },
    ]);

    await store.replaceResources('cart', [namespace]);
    expect(await store.listResources('cart')).toEqual([namespace]);
    expect(await store.listDiffs('cart')).toEqual([]);
    expect(await store.listResources('other')).toEqual([namespace]);
  });

  it('writes only the rows that changed, and none when nothing did', async () => {
    const { knex, store } = await createStore();
    const writes: string[] = [];
    const record = (query: { sql: string }) => {
      if (/^(insert|update|delete)/i.test(query.sql.trim())) {
        writes.push(query.sql.trim().split(' ')[0].toLowerCase());
      }
    };
    knex.on('query', record);
    try {
      await store.replaceResources('steady', [namespace, deployment, hook]);
      expect(writes).toEqual(['insert']);

      writes.splice(0);
      await store.replaceResources('steady', [namespace, deployment, hook]);
      expect(writes).toEqual([]);

      const healed = {
        ...deployment,
        sync: 'Synced' as const,
        diff: undefined,
      };
      await store.replaceResources('steady', [namespace, healed, hook]);
      expect(writes).toEqual(['update']);

      writes.splice(0);
      await store.replaceResources('steady', [namespace, healed]);
      expect(writes).toEqual(['delete']);

      const { diff: _diff, ...listed } = healed;
      expect(await store.listResources('steady')).toEqual([namespace, listed]);
      expect(await store.listDiffs('steady')).toEqual([]);
    } finally {
      knex.removeListener('query', record);
    }
  });

  it('finds the other applications whose last comparison lists a key', async () => {
    const { store } = await createStore();
    await store.replaceResources('cart', [namespace, deployment]);
    await store.replaceResources('cart-copy', [deployment, hook]);
    // Same name, another namespace: another object.
    await store.replaceResources('elsewhere', [
      { ...deployment, key: 'apps/Deployment/prod/cart', namespace: 'prod' },
    ]);
    expect(
      await store.listClaims([deployment.key, '/ConfigMap/shop/none'], 'cart'),
    ).toEqual([{ application: 'cart-copy', key: deployment.key }]);
    expect(await store.listClaims([namespace.key], 'cart')).toEqual([]);
    expect(await store.listClaims([], 'cart')).toEqual([]);
  });

  it('stores 500 resources of one application in one go', async () => {
    const { store } = await createStore();
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...namespace,
      key: `/ConfigMap/shop/c${i}`,
      kind: 'ConfigMap',
      name: `c${i}`,
    }));
    await store.replaceResources('big', many);
    expect(await store.listResources('big')).toHaveLength(500);
  });

  it('keeps a rollback pause beside the status, and the commit in words', async () => {
    const knex = await databases.init(databaseId);
    const statuses = await ApplicationStatusStore.create({
      database: mockServices.database({ knex }),
    });
    const pause = {
      reason: 'rollback' as const,
      revision: 'a'.repeat(40),
      operationId: 'op-1',
      by: 'user:default/guest',
      at: '2026-11-26T00:00:00.000Z',
    };
    // Before any comparison: the pause still has a row to live in.
    await statuses.writeAutoSyncPause('cart', pause);
    expect(await statuses.readAutoSyncPause('cart')).toEqual(pause);
    await statuses.writeStatus('cart', {
      sync: 'OutOfSync',
      health: 'Healthy',
      revision: 'b'.repeat(40),
      reconciledAt: '2026-11-26T01:00:00.000Z',
      revisionInfo: {
        message: 'Scale the cart to three',
        author: 'Ada',
        date: '2026-11-25T09:00:00.000Z',
      },
    });
    const status = (await statuses.readStatuses(['cart'])).get('cart');
    expect(status).toMatchObject({
      revisionInfo: {
        message: 'Scale the cart to three',
        author: 'Ada',
        date: '2026-11-25T09:00:00.000Z',
      },
      autoSyncPaused: pause,
    });
    await statuses.writeAutoSyncPause('cart', undefined);
    expect(await statuses.readAutoSyncPause('cart')).toBeUndefined();
    expect(
      (await statuses.readStatuses(['cart'])).get('cart')?.autoSyncPaused,
    ).toBeUndefined();
  });

  it('keeps the diff an operation set out to apply, and finds the last real sync', async () => {
    const knex = await databases.init(databaseId);
    const operations = await OperationStore.create({
      database: mockServices.database({ knex }),
    });
    const real = await operations.createOperation({
      application: 'cart',
      initiatedBy: 'automated',
      dryRun: false,
      startedAt: new Date('2026-11-26T00:00:00Z'),
    });
    await operations.createOperation({
      application: 'cart',
      initiatedBy: 'user:default/guest',
      dryRun: true,
      startedAt: new Date('2026-11-26T01:00:00Z'),
    });
    expect((await operations.lastSync('cart'))?.id).toBe(real.id);
    expect(await operations.lastSync('nothing')).toBeUndefined();

    expect(await operations.getDiff('cart', real.id)).toBeUndefined();
    const diff = {
      key: deployment.key,
      group: 'apps',
      kind: 'Deployment',
      name: 'cart',
      sync: 'OutOfSync' as const,
      requiresPruning: false,
      ...deployment.diff!,
    };
    await operations.saveDiff(real.id, [diff]);
    expect(await operations.getDiff('cart', real.id)).toEqual([diff]);
    expect(await operations.getDiff('other', real.id)).toBeUndefined();
  });
});
