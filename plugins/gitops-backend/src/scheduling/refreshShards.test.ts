import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { shardOf } from './dueTimes';
import {
  refreshDueApplications,
  scheduleShards,
  shardTaskId,
} from './refreshShards';

const app = (name: string): ApplicationDefinition => ({
  name,
  origin: 'config',
  entityRefs: [],
  source: {
    repoURL: 'https://git.example.com/a.git',
    path: '',
    targetRevision: 'HEAD',
  },
  destination: { cluster: 'in-cluster' },
});
const fleet = Array.from({ length: 40 }, (_, i) => app(`app-${i}`));

function run(
  overrides: Partial<Parameters<typeof refreshDueApplications>[0]> = {},
) {
  const refreshed: string[] = [];
  const done = refreshDueApplications({
    applications: fleet,
    shard: 1,
    shards: 4,
    lastComparedAt: async () => new Map(),
    refresh: async definition => {
      refreshed.push(definition.name);
    },
    busy: () => false,
    intervalMs: 60_000,
    concurrency: 2,
    logger: mockServices.logger.mock(),
    ...overrides,
  });
  return { refreshed, done };
}

describe('refreshDueApplications', () => {
  it('compares the due applications of its own shard only', async () => {
    const now = 1_000_000_000;
    const mine = fleet.filter(a => shardOf(a.name, 4) === 1).map(a => a.name);
    const [recent, ...rest] = mine;
    const { refreshed, done } = run({
      now: () => now,
      lastComparedAt: async () => new Map([[recent, now - 1000]]),
    });
    await done;
    expect(refreshed.sort()).toEqual(rest.sort());
  });

  it('leaves out what this replica compares already', async () => {
    const mine = fleet.filter(a => shardOf(a.name, 4) === 1).map(a => a.name);
    const { refreshed, done } = run({ busy: name => name === mine[0] });
    await done;
    expect(refreshed).not.toContain(mine[0]);
    expect(refreshed).toHaveLength(mine.length - 1);
  });

  it('goes on past an application whose refresh fails', async () => {
    const mine = fleet.filter(a => shardOf(a.name, 4) === 1).map(a => a.name);
    const refreshed: string[] = [];
    await refreshDueApplications({
      applications: fleet,
      shard: 1,
      shards: 4,
      lastComparedAt: async () => new Map(),
      refresh: async definition => {
        if (definition.name === mine[0]) throw new Error('broken');
        refreshed.push(definition.name);
      },
      busy: () => false,
      intervalMs: 60_000,
      concurrency: 1,
      logger: mockServices.logger.mock(),
    });
    expect(refreshed).toHaveLength(mine.length - 1);
  });

  it('returns at once when told to stop, with a refresh still running, and starts no more', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const done = refreshDueApplications({
      applications: fleet,
      shard: 1,
      shards: 4,
      lastComparedAt: async () => new Map(),
      refresh: async definition => {
        started.push(definition.name);
        await new Promise(() => undefined); // never ends
      },
      busy: () => false,
      intervalMs: 60_000,
      concurrency: 2,
      logger: mockServices.logger.mock(),
      signal: controller.signal,
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(started).toHaveLength(2);
    controller.abort();
    await done;
    expect(started).toHaveLength(2);
  });
});

describe('scheduleShards', () => {
  it('schedules one task per shard, often, with a timeout of one interval', async () => {
    const scheduler = mockServices.scheduler.mock();
    const runs: number[] = [];
    await scheduleShards({
      scheduler,
      shards: 3,
      intervalMs: 180_000,
      run: async shard => {
        runs.push(shard);
      },
    });
    const tasks = scheduler.scheduleTask.mock.calls.map(([task]) => task);
    expect(tasks.map(t => [t.id, t.frequency, t.timeout])).toEqual(
      [0, 1, 2].map(i => [
        shardTaskId(i),
        { milliseconds: 15_000 },
        { milliseconds: 180_000 },
      ]),
    );
    for (const task of tasks) await task.fn(new AbortController().signal);
    expect(runs).toEqual([0, 1, 2]);
  });
});
