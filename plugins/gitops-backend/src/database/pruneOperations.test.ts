import { mockServices } from '@backstage/backend-test-utils';
import { OperationStore } from './OperationStore';
import { pruneOperations } from './pruneOperations';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const day = 24 * 3600_000;

describe.each(databases.eachSupportedId())('pruneOperations on %s', id => {
  async function seed() {
    const knex = await databases.init(id);
    const store = await OperationStore.create({
      database: mockServices.database({ knex }),
    });
    const now = new Date('2026-11-26T00:00:00Z');
    const make = async (
      application: string,
      ageDays: number,
      finished = true,
    ) => {
      const startedAt = new Date(now.getTime() - ageDays * day);
      const op = await store.createOperation({
        application,
        initiatedBy: 'automated',
        dryRun: false,
        startedAt,
      });
      if (finished) {
        await knex('operations')
          .where({ id: op.id })
          .update({ phase: 'Succeeded', finished_at: startedAt });
      }
      return op.id;
    };
    return { knex, store, now, make };
  }

  const remaining = async (knex: any, application: string) =>
    (
      await knex('operations')
        .where({ application })
        .orderBy('started_at', 'desc')
    ).map((r: { id: string }) => r.id);

  it('keeps the newest finished operations per application, and every running one', async () => {
    const { knex, now, make } = await seed();
    const cart = [];
    for (const age of [1, 2, 3, 4, 5]) cart.push(await make('cart', age));
    const running = await make('cart', 10, false);
    const web = [await make('web', 7), await make('web', 8)];

    const deleted = await pruneOperations(knex, { limit: 2 }, now);
    expect(deleted).toBe(3);
    expect(await remaining(knex, 'cart')).toEqual([cart[0], cart[1], running]);
    expect(await remaining(knex, 'web')).toEqual(web);
  });

  it('deletes finished operations older than the maximum age', async () => {
    const { knex, now, make } = await seed();
    const recent = await make('cart', 1);
    await make('cart', 40);
    const running = await make('cart', 50, false);
    expect(await pruneOperations(knex, { maxAgeMs: 30 * day }, now)).toBe(1);
    expect(await remaining(knex, 'cart')).toEqual([recent, running]);
  });

  it('does nothing without a policy', async () => {
    const { knex, now, make } = await seed();
    await make('cart', 400);
    expect(await pruneOperations(knex, {}, now)).toBe(0);
  });
});
