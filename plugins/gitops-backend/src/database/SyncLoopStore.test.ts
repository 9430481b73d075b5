import { mockServices } from '@backstage/backend-test-utils';
import { SyncLoopState } from '../engine/syncLoop';
import { SyncLoopStore } from './SyncLoopStore';
import { migrateDownAll, migrateUp } from './migrations';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const state: SyncLoopState = {
  fights: [
    {
      resource: 'apps/Deployment/shop/web',
      group: 'apps',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      path: '/spec/replicas',
      manager: 'kube-controller-manager',
      count: 2,
      firstSeenAt: '2026-11-26T10:00:00.000Z',
      lastSeenAt: '2026-11-26T10:01:00.000Z',
      lastChangeId: '42',
    },
  ],
};

describe.each(databases.eachSupportedId())(
  'SyncLoopStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      const store = await SyncLoopStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, store };
    }

    it('migrates up and down again', async () => {
      const { knex } = await createStore();
      expect(await knex.schema.hasTable('sync_loops')).toBe(true);
      await migrateDownAll(knex);
      expect(await knex.schema.hasTable('sync_loops')).toBe(false);
      await migrateUp(knex);
      expect(await knex.schema.hasTable('sync_loops')).toBe(true);
    });

    it('reads nothing for an unknown application, then what was written, overwritten, and cleared', async () => {
      const { store, knex } = await createStore();
      expect(await store.read('shop')).toEqual({ fights: [] });
      await store.write('shop', state);
      expect(await store.read('shop')).toEqual(state);
      const more = { fights: [{ ...state.fights[0], count: 3 }] };
      await store.write('shop', more);
      expect(await store.read('shop')).toEqual(more);
      expect(await store.read('other')).toEqual({ fights: [] });
      await store.write('shop', { fights: [] });
      expect(await knex('sync_loops').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      expect(await store.read('shop')).toEqual({ fights: [] });
      expect(await knex('sync_loops').where({ application: 'shop' })).toEqual(
        [],
      );
    });
  },
);
