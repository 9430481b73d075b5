/**
 * Runs tasks one at a time per key, in the order they were asked for. Two
 * refreshes of one application must not overlap: the one that started
 * earlier read the cluster earlier, and finishing later it would store the
 * older status last (a post-sync refresh overtaken by one a watch event
 * started, say, leaving Progressing behind for good).
 */
export function createOneAtATime() {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    // Forget the key once nothing more is queued behind this task.
    tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
