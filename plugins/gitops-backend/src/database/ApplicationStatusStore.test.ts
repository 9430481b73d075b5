import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationStatusStore } from './ApplicationStatusStore';
import { migrateDownAll, migrateUp } from './migrations';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('on %s', databaseId => {
  async function createStore() {
    const knex = await databases.init(databaseId);
    const store = await ApplicationStatusStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('runs on the database it says it does', async () => {
    const knex = await databases.init(databaseId);
    const client = String(knex.client.config.client);
    expect(client).toMatch(databaseId.startsWith('POSTGRES') ? /pg/ : /sqlite/);
  });

  it('migrates up and all the way down again', async () => {
    const { knex } = await createStore();
    expect(await knex.schema.hasTable('application_status')).toBe(true);
    expect(
      await knex.schema.hasColumn('application_status', 'conditions'),
    ).toBe(true);
    await migrateDownAll(knex);
    expect(await knex.schema.hasTable('application_status')).toBe(false);
    await migrateUp(knex);
    expect(await knex.schema.hasTable('application_status')).toBe(true);
  });

  it('reads when each application was last compared, what due times count from', async () => {
    const { store } = await createStore();
    await store.writeStatus('cart', {
      sync: 'Synced',
      health: 'Healthy',
      reconciledAt: '2026-11-25T11:00:00.000Z',
    });
    await store.writeStatus('web', {
      sync: 'Unknown',
      health: 'Unknown',
      reconciledAt: '2026-11-25T12:00:00.500Z',
    });
    expect(
      Object.fromEntries(
        await store.readReconciledTimes(['cart', 'web', 'never']),
      ),
    ).toEqual({
      cart: Date.parse('2026-11-25T11:00:00.000Z'),
      web: Date.parse('2026-11-25T12:00:00.500Z'),
    });
  });

  it('writes a status, overwrites it, and reads only what exists', async () => {
    const { store } = await createStore();
    await store.writeStatus('cart', {
      sync: 'OutOfSync',
      health: 'Progressing',
      revision: 'a'.repeat(40),
      reconciledAt: '2026-11-25T10:00:00.000Z',
    });
    await store.writeStatus('cart', {
      sync: 'Synced',
      health: 'Healthy',
      revision: 'b'.repeat(40),
      reconciledAt: '2026-11-25T11:00:00.000Z',
    });
    await store.writeStatus('web', {
      sync: 'Unknown',
      health: 'Missing',
      reconciledAt: '2026-11-25T12:00:00.000Z',
      conditions: [
        { type: 'ComparisonError', message: 'cluster "prod" is unreachable' },
      ],
    });

    const statuses = await store.readStatuses(['cart', 'web', 'never']);
    expect(Object.fromEntries(statuses)).toEqual({
      cart: {
        sync: 'Synced',
        health: 'Healthy',
        revision: 'b'.repeat(40),
        reconciledAt: '2026-11-25T11:00:00.000Z',
        conditions: [],
      },
      web: {
        sync: 'Unknown',
        health: 'Missing',
        revision: undefined,
        reconciledAt: '2026-11-25T12:00:00.000Z',
        conditions: [
          { type: 'ComparisonError', message: 'cluster "prod" is unreachable' },
        ],
      },
    });
  });

  it('remembers the revision auto-sync last tried, through status updates', async () => {
    const { store } = await createStore();
    await store.writeStatus('cart', { sync: 'OutOfSync', health: 'Missing' });
    expect(await store.readAutoSyncRevision('cart')).toBeUndefined();
    await store.writeAutoSyncRevision('cart', 'd'.repeat(40));
    await store.writeStatus('cart', { sync: 'Synced', health: 'Healthy' });
    expect(await store.readAutoSyncRevision('cart')).toBe('d'.repeat(40));
  });

  it('reads more names than one statement may bind', async () => {
    const { store } = await createStore();
    const names = Array.from({ length: 1200 }, (_, i) => `app-${i}`);
    await store.writeStatus('app-1100', { sync: 'Synced', health: 'Healthy' });
    const statuses = await store.readStatuses(names);
    expect([...statuses.keys()]).toEqual(['app-1100']);
  });
});
