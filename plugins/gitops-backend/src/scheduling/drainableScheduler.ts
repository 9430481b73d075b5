import {
  SchedulerService,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';

/**
 * Backstage's scheduler releases a task's run ticket when its function
 * returns. A backend that shuts down mid-run releases nothing once its
 * database is closed, and the ticket then stays claimed until the task's
 * timeout: no other replica runs the task meanwhile. This scheduler keeps
 * count of the runs in flight so that shutdown can wait for them (each run
 * is told to stop by the scheduler's abort signal) while the database is
 * still open.
 */
export function createDrainableScheduler(scheduler: SchedulerService) {
  const running = new Set<Promise<unknown>>();

  const track =
    (fn: SchedulerServiceTaskFunction): SchedulerServiceTaskFunction =>
    signal => {
      const run = Promise.resolve(fn(signal));
      running.add(run);
      const forget = () => running.delete(run);
      run.then(forget, forget);
      return run;
    };

  // The scheduler is a class instance: its methods are named, not spread.
  const drainable: SchedulerService = {
    triggerTask: id => scheduler.triggerTask(id),
    cancelTask: id => scheduler.cancelTask(id),
    getScheduledTasks: () => scheduler.getScheduledTasks(),
    scheduleTask: task =>
      scheduler.scheduleTask({ ...task, fn: track(task.fn) }),
    createScheduledTaskRunner: schedule => {
      const runner = scheduler.createScheduledTaskRunner(schedule);
      return { run: task => runner.run({ ...task, fn: track(task.fn) }) };
    },
  };

  return {
    scheduler: drainable,
    /** Waits for the runs in flight, at most `timeoutMs`. */
    async drain(timeoutMs: number): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise(resolve => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
