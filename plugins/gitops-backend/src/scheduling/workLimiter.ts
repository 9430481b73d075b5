/**
 * A first-in, first-out limit on work running at once. Not p-limit: its
 * maintained versions are ESM-only, and this package is built and tested as
 * CommonJS; the whole of what is needed is this queue.
 */
export type WorkLimiter = {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Work running, and work waiting for a slot: what backpressure looks at. */
  load(): { running: number; waiting: number };
};

export function createWorkLimiter(concurrency: number): WorkLimiter {
  const limit = Math.max(1, Math.floor(concurrency));
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };

  return {
    async run(work) {
      if (running < limit) {
        running++;
      } else {
        await new Promise<void>(resolve => waiting.push(resolve));
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}

/**
 * The client with every call through the limiter. A sync waits for hooks
 * and health between calls, outside the limiter, so a hundred syncs with slow
 * PreSync hooks hold no slot while they wait and the rest keep moving; the
 * limit bounds the requests all syncs make at once.
 */
export function limitCalls<T extends object>(
  target: T,
  limiter: WorkLimiter,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        limiter.run(() => Promise.resolve(value.apply(object, args)));
    },
  });
}

/**
 * Joins a request for a key whose run is still waiting for its turn, instead
 * of queueing another (a burst of webhooks for one application becomes one
 * refresh). `schedule` decides when work runs (a limiter, a per-key queue);
 * once a run has started, a new request queues a run of its own.
 */
export function coalesceByKey<T>(
  schedule: (key: string, work: () => Promise<T>) => Promise<T>,
): (key: string, work: () => Promise<T>) => Promise<T> {
  const queued = new Map<string, Promise<T>>();
  return (key, work) => {
    const pending = queued.get(key);
    if (pending) return pending;
    let started = false;
    let stored = false;
    const run = schedule(key, () => {
      // The schedule may start work at once, before `run` is stored below.
      started = true;
      if (stored) queued.delete(key);
      return work();
    });
    if (!started) {
      queued.set(key, run);
      stored = true;
    }
    const forget = () => {
      if (queued.get(key) === run) queued.delete(key);
    };
    run.then(forget, forget);
    return run;
  };
}
