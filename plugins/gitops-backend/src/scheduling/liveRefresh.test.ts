import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { createLiveRefresher } from './liveRefresh';

const app = (name: string, cluster = 'in-cluster'): ApplicationDefinition => ({
  name,
  origin: 'config',
  entityRefs: [],
  source: {
    repoURL: 'https://git.example.com/a.git',
    path: '',
    targetRevision: 'HEAD',
  },
  destination: { cluster },
});

describe('createLiveRefresher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(definitions: ApplicationDefinition[]) {
    const refreshed: string[] = [];
    let release: (() => void) | undefined;
    let holdRefresh = false;
    const refresher = createLiveRefresher({
      readDefinition: async name => definitions.find(d => d.name === name),
      refresh: async definition => {
        refreshed.push(definition.name);
        if (holdRefresh) await new Promise<void>(r => (release = r));
      },
      logger: mockServices.logger.mock(),
      delayMs: 100,
    });
    return {
      refresher,
      refreshed,
      hold: () => (holdRefresh = true),
      release: () => {
        holdRefresh = false;
        release?.();
      },
    };
  }

  it('gathers a burst of changes into one refresh after the delay', async () => {
    const { refresher, refreshed } = setup([app('shop')]);
    refresher.notify('in-cluster', ['shop']);
    await jest.advanceTimersByTimeAsync(50);
    refresher.notify('in-cluster', ['shop']);
    refresher.notify('in-cluster', ['shop']);
    expect(refreshed).toEqual([]);
    await jest.advanceTimersByTimeAsync(60);
    expect(refreshed).toEqual(['shop']);
  });

  it('refreshes once more after a refresh that changes arrived during', async () => {
    const { refresher, refreshed, hold, release } = setup([app('shop')]);
    hold();
    refresher.notify('in-cluster', ['shop']);
    await jest.advanceTimersByTimeAsync(100);
    expect(refreshed).toEqual(['shop']);
    refresher.notify('in-cluster', ['shop']);
    refresher.notify('in-cluster', ['shop']);
    await jest.advanceTimersByTimeAsync(500);
    // Still the first one: never two at once.
    expect(refreshed).toEqual(['shop']);
    release();
    await jest.advanceTimersByTimeAsync(100);
    expect(refreshed).toEqual(['shop', 'shop']);
  });

  it('ignores unknown applications and those of another cluster', async () => {
    const { refresher, refreshed } = setup([app('shop', 'prod')]);
    refresher.notify('in-cluster', ['shop', 'gone']);
    await jest.advanceTimersByTimeAsync(200);
    expect(refreshed).toEqual([]);
    refresher.notify('prod', ['shop']);
    await jest.advanceTimersByTimeAsync(200);
    expect(refreshed).toEqual(['shop']);
  });

  it('refreshes nothing once stopped', async () => {
    const { refresher, refreshed } = setup([app('shop')]);
    refresher.notify('in-cluster', ['shop']);
    refresher.stop();
    await jest.advanceTimersByTimeAsync(200);
    expect(refreshed).toEqual([]);
  });

  it('leaves a change to the replica holding the application: two replicas see it, one refreshes', async () => {
    // Two replicas' refreshers, sharing the claims as LiveRefreshClaims
    // shares them through the database: the first to ask holds them.
    const holders = new Map<string, string>();
    const refreshed: string[] = [];
    const replica = (id: string) =>
      createLiveRefresher({
        readDefinition: async name => app(name),
        refresh: async definition => {
          refreshed.push(`${id}:${definition.name}`);
        },
        claim: async name => {
          if (!holders.has(name)) holders.set(name, id);
          return holders.get(name) === id;
        },
        logger: mockServices.logger.mock(),
        delayMs: 100,
      });
    const a = replica('a');
    const b = replica('b');
    for (const r of [b, a]) r.notify('in-cluster', ['shop', 'cart']);
    await jest.advanceTimersByTimeAsync(200);
    expect(refreshed.sort()).toEqual(['b:cart', 'b:shop']);
    // The holder goes on handling its applications' changes.
    for (const r of [a, b]) r.notify('in-cluster', ['shop']);
    await jest.advanceTimersByTimeAsync(200);
    expect(refreshed.filter(r => r.endsWith(':shop'))).toEqual([
      'b:shop',
      'b:shop',
    ]);
  });

  it('refreshes when the claims cannot be read, rather than never', async () => {
    const refreshed: string[] = [];
    const logger = mockServices.logger.mock();
    const refresher = createLiveRefresher({
      readDefinition: async name => app(name),
      refresh: async definition => {
        refreshed.push(definition.name);
      },
      claim: async () => {
        throw new Error('database gone');
      },
      logger,
      delayMs: 100,
    });
    refresher.notify('in-cluster', ['shop']);
    await jest.advanceTimersByTimeAsync(200);
    expect(refreshed).toEqual(['shop']);
    expect(logger.warn).toHaveBeenCalled();
  });
});
