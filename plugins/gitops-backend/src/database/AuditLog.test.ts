import { mockServices } from '@backstage/backend-test-utils';
import { AuditLog } from './AuditLog';
import { migrateDownAll, migrateUp } from './migrations';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('AuditLog on %s', id => {
  async function create() {
    const knex = await databases.init(id);
    const audit = await AuditLog.create({
      database: mockServices.database({ knex }),
    });
    return { knex, audit };
  }

  it('records actions with their user and lists them newest first, paginated', async () => {
    const { audit } = await create();
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 4, minute));
    await audit.record({
      application: 'cart',
      action: 'sync',
      actor: 'user:default/ada',
      outcome: 'accepted',
      details: { prune: true, operationId: 'op-1' },
      at: at(1),
    });
    await audit.record({
      application: 'cart',
      action: 'refresh',
      actor: 'user:default/bob',
      outcome: 'accepted',
      at: at(2),
    });
    await audit.record({
      application: 'cart',
      action: 'sync',
      actor: 'user:default/bob',
      outcome: 'refused',
      message: 'a deny sync window is open',
      at: at(3),
    });
    await audit.record({
      application: 'web',
      action: 'terminate',
      actor: 'service:ci',
      outcome: 'accepted',
      at: at(4),
    });

    const first = await audit.list('cart', { offset: 0, limit: 2 });
    expect(first.totalItems).toBe(3);
    expect(first.items).toEqual([
      {
        id: expect.any(String),
        application: 'cart',
        action: 'sync',
        actor: 'user:default/bob',
        outcome: 'refused',
        message: 'a deny sync window is open',
        at: '2026-11-26T04:03:00.000Z',
      },
      expect.objectContaining({ action: 'refresh', actor: 'user:default/bob' }),
    ]);
    const second = await audit.list('cart', { offset: 2, limit: 2 });
    expect(second.items).toEqual([
      expect.objectContaining({
        actor: 'user:default/ada',
        details: { prune: true, operationId: 'op-1' },
      }),
    ]);
  });

  it('migrates down and up again', async () => {
    const { knex } = await create();
    await migrateDownAll(knex);
    expect(await knex.schema.hasTable('audit_log')).toBe(false);
    await migrateUp(knex);
    expect(await knex.schema.hasTable('audit_log')).toBe(true);
  });
});
