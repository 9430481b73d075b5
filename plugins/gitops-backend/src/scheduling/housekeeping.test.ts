import { mockServices } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { OperationStore } from '../database/OperationStore';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { startHousekeeping } from './housekeeping';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('housekeeping on %s', id => {
  it('schedules a task that keeps history within the configured limit', async () => {
    const knex = await databases.init(id);
    const database = mockServices.database({ knex });
    const store = await OperationStore.create({ database });
    for (let i = 0; i < 4; i++) {
      const op = await store.createOperation({
        application: 'cart',
        initiatedBy: 'automated',
        dryRun: false,
        startedAt: new Date(Date.UTC(2026, 10, 20 + i)),
      });
      await store.fail(op.id, 'Failed', 'broken');
    }
    const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
    await startHousekeeping({
      scheduler: {
        scheduleTask: async (
          task: SchedulerServiceTaskInvocationDefinition,
        ) => {
          tasks.push(task);
        },
      } as any,
      database,
      logger: mockServices.logger.mock(),
      history: { limit: 1 },
    });
    expect(tasks.map(t => t.id)).toEqual(['gitops-housekeeping']);
    await tasks[0].fn(new AbortController().signal);
    const left = await store.listOperations('cart', { offset: 0, limit: 10 });
    expect(left.totalItems).toBe(1);
    expect(left.items[0].startedAt).toBe('2026-11-23T00:00:00.000Z');
  });
});
