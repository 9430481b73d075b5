import { mockServices } from '@backstage/backend-test-utils';
import { SyncOperationState } from '../engine/sync';
import { OperationStore } from './OperationStore';
import { migrateDownAll, migrateDownOne, migrateUp } from './migrations';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function state(
  phase: SyncOperationState['phase'],
  extra: Partial<SyncOperationState> = {},
): SyncOperationState {
  return {
    phase,
    message: phase === 'Succeeded' ? 'successfully synced' : '',
    tasks: [
      {
        key: '/Secret/shop/token',
        kind: 'Secret',
        namespace: 'shop',
        name: 'token',
        syncPhase: 'Sync',
        wave: 0,
        isHook: false,
        action: 'apply',
        status: 'Synced',
        message: 'secret/token configured',
        manifest: {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'token', namespace: 'shop' },
          stringData: { password: 'hunter2-do-not-store' },
        },
      },
    ],
    ...extra,
  } as unknown as SyncOperationState;
}

describe.each(databases.eachSupportedId())('OperationStore on %s', id => {
  async function create() {
    const knex = await databases.init(id);
    const store = await OperationStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('gives the lease to one holder at a time, and again once it expires', async () => {
    const { store } = await create();
    const t0 = new Date('2026-11-26T00:00:00Z');
    const later = new Date('2026-11-26T00:01:00Z');
    expect(await store.tryAcquireLease('shop', 'a', 30_000, t0)).toBe(true);
    expect(await store.tryAcquireLease('shop', 'b', 30_000, t0)).toBe(false);
    expect(await store.tryAcquireLease('shop', 'a', 30_000, t0)).toBe(true);
    expect(await store.tryAcquireLease('cart', 'b', 30_000, t0)).toBe(true);
    expect(await store.tryAcquireLease('shop', 'b', 30_000, later)).toBe(true);
    await store.releaseLease('shop', 'b');
    expect(await store.tryAcquireLease('shop', 'a', 30_000, later)).toBe(true);
  });

  it('lets exactly one of many simultaneous claims win', async () => {
    const { store } = await create();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.tryAcquireLease('race', `holder-${i}`, 30_000).catch(() => false),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('stores steps without manifests, and lists newest first', async () => {
    const { store } = await create();
    const first = await store.createOperation({
      application: 'shop',
      initiatedBy: 'user:default/ann',
      dryRun: false,
      revision: 'a'.repeat(40),
      startedAt: new Date('2026-11-26T00:00:00Z'),
    });
    const second = await store.createOperation({
      application: 'shop',
      initiatedBy: 'automated',
      dryRun: true,
      startedAt: new Date('2026-11-26T01:00:00Z'),
    });
    expect(
      await store.saveState(
        first.id,
        state('Succeeded', { finishedAt: '2026-11-26T00:05:00.000Z' }),
      ),
    ).toBe(false);

    const detail = await store.getOperation('shop', first.id);
    expect(detail).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced',
      initiatedBy: 'user:default/ann',
      finishedAt: '2026-11-26T00:05:00.000Z',
      tasks: [{ key: '/Secret/shop/token', status: 'Synced' }],
    });
    expect(JSON.stringify(detail)).not.toContain('hunter2');
    expect(await store.getOperation('cart', first.id)).toBeUndefined();

    const list = await store.listOperations('shop', { offset: 0, limit: 10 });
    expect(list.totalItems).toBe(2);
    expect(list.items.map(o => o.id)).toEqual([second.id, first.id]);
    expect(list.items[0]).toMatchObject({ dryRun: true, phase: 'Running' });
  });

  it('passes a termination request to whoever saves the next step', async () => {
    const { store } = await create();
    const op = await store.createOperation({
      application: 'shop',
      initiatedBy: 'automated',
      dryRun: false,
    });
    expect(await store.requestTermination('shop', op.id)).toBe(true);
    expect(await store.saveState(op.id, state('Running'))).toBe(true);
    await store.saveState(op.id, state('Failed'));
    expect(await store.requestTermination('shop', op.id)).toBe(false);
  });

  it('lists unfinished operations whose lease is gone, and fails them on request', async () => {
    const { store } = await create();
    const now = new Date();
    const held = await store.createOperation({
      application: 'held',
      initiatedBy: 'automated',
      dryRun: false,
    });
    const orphan = await store.createOperation({
      application: 'orphan',
      initiatedBy: 'automated',
      dryRun: false,
    });
    await store.saveState(orphan.id, state('Running'));
    const done = await store.createOperation({
      application: 'orphan',
      initiatedBy: 'automated',
      dryRun: false,
    });
    await store.saveState(done.id, state('Succeeded'));
    await store.tryAcquireLease('held', 'me', 60_000, now);
    expect(await store.listInterrupted(now)).toEqual([
      { id: orphan.id, application: 'orphan' },
    ]);
    const read = await store.readUnfinished(orphan.id);
    expect(read).toMatchObject({
      summary: { id: orphan.id, phase: 'Running' },
      terminateRequested: false,
    });
    // Stored without the manifest, which holds Secret data.
    expect(read?.state.tasks[0]).not.toHaveProperty('manifest');
    expect(await store.readUnfinished(done.id)).toBeUndefined();

    expect(await store.failUnfinished('orphan', 'superseded')).toBe(1);
    expect(await store.getOperation('orphan', orphan.id)).toMatchObject({
      phase: 'Failed',
      message: 'superseded',
    });
    expect((await store.getOperation('orphan', done.id))?.phase).toBe(
      'Succeeded',
    );
    expect((await store.getOperation('held', held.id))?.phase).toBe('Running');
    expect(await store.listInterrupted(now)).toEqual([]);
  });

  it('marks a sync of chosen resources as selective, in new rows and in rows older than the column', async () => {
    const { knex, store } = await create();
    const whole = await store.createOperation({
      application: 'pick',
      initiatedBy: 'user:default/a',
      dryRun: false,
    });
    const chosen = await store.createOperation({
      application: 'pick',
      initiatedBy: 'user:default/a',
      dryRun: false,
      selective: true,
    });
    expect(chosen.selective).toBe(true);
    expect(whole.selective).toBeUndefined();
    const listed = await store.listOperations('pick', { offset: 0, limit: 5 });
    expect(listed.items.map(op => [op.id, op.selective])).toEqual(
      expect.arrayContaining([
        [chosen.id, true],
        [whole.id, undefined],
      ]),
    );
    expect((await store.lastSync('pick'))?.id).toBeDefined();

    // A row written before the column existed says so in its state only.
    await store.saveState(
      chosen.id,
      state('Succeeded', {
        options: { resources: ['/ConfigMap/shop/a'] },
      } as Partial<SyncOperationState>),
    );
    await migrateDownOne(knex);
    await migrateUp(knex);
    expect(await store.isSelective('pick', chosen.id)).toBe(true);
    expect(await store.isSelective('pick', whole.id)).toBe(false);
  });

  it('migrates all the way down', async () => {
    const { knex } = await create();
    await migrateDownAll(knex);
    expect(await knex.schema.hasTable('operations')).toBe(false);
    expect(await knex.schema.hasTable('application_leases')).toBe(false);
  });
});
