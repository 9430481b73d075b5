import { coalesceByKey, createWorkLimiter, limitCalls } from './workLimiter';

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A cluster whose calls take a little time, counting how many run at once. */
function fakeCluster() {
  let inFlight = 0;
  let peak = 0;
  return {
    get peak() {
      return peak;
    },
    async apply(name: string) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(5);
      inFlight--;
      return name;
    },
  };
}

describe('work limiter', () => {
  it('runs at most the limit at once, first in first out', async () => {
    const limiter = createWorkLimiter(2);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          running++;
          peak = Math.max(peak, running);
          await sleep(5);
          running--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(limiter.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when work fails', async () => {
    const limiter = createWorkLimiter(1);
    await expect(
      limiter.run(() => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
  });

  it('lets a quick sync finish while many syncs wait on slow PreSync hooks', async () => {
    const cluster = fakeCluster();
    const limited = limitCalls(cluster, createWorkLimiter(2));
    const finished: string[] = [];
    // The shape of syncApplication: a call, a wait outside any call
    // (a hook running), another call.
    const sync = async (name: string, hookMs: number) => {
      await limited.apply(`${name}-hook`);
      await sleep(hookMs);
      await limited.apply(`${name}-deployment`);
      finished.push(name);
    };
    const slow = Array.from({ length: 20 }, (_, i) => sync(`slow-${i}`, 1000));
    await sleep(20);
    await sync('quick', 0);
    // Done while every slow sync still waits on its hook: had a waiting
    // sync held a slot, quick would have come after the first slow ones.
    expect(finished).toEqual(['quick']);
    await Promise.all(slow);
    expect(finished).toHaveLength(21);
    expect(cluster.peak).toBe(2);
  });

  it('joins a request for a key that is still waiting, not one that has started', async () => {
    const limiter = createWorkLimiter(1);
    const queue = coalesceByKey<string>((_key, work) => limiter.run(work));
    let runs = 0;
    const work = async () => {
      runs++;
      await sleep(10);
      return `run ${runs}`;
    };
    const blocker = queue('other', work);
    const first = queue('cart', work);
    const joined = queue('cart', work);
    expect(joined).toBe(first);
    await blocker;
    await sleep(1);
    // cart's run has started: a new request queues another run.
    const again = queue('cart', work);
    expect(again).not.toBe(first);
    await Promise.all([first, again]);
    expect(runs).toBe(3);
  });
});

describe('coalesceByKey with a free slot', () => {
  it('never joins a run that has already finished', async () => {
    const limiter = createWorkLimiter(4);
    const queue = coalesceByKey<number>((_key, work) => limiter.run(work));
    let runs = 0;
    expect(await queue('cart', async () => ++runs)).toBe(1);
    expect(await queue('cart', async () => ++runs)).toBe(2);
  });
});
