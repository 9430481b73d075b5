import { createOneAtATime } from './oneAtATime';

describe('createOneAtATime', () => {
  it('runs the tasks of one key in order, never overlapping', async () => {
    const run = createOneAtATime();
    const log: string[] = [];
    let release: () => void = () => {};
    const first = run('shop', async () => {
      log.push('first start');
      await new Promise<void>(resolve => (release = resolve));
      log.push('first end');
      return 1;
    });
    const second = run('shop', async () => {
      log.push('second');
      return 2;
    });
    const other = run('cart', async () => {
      log.push('other key');
      return 3;
    });
    expect(await other).toBe(3);
    expect(log).toEqual(['first start', 'other key']);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['first start', 'other key', 'first end', 'second']);
  });

  it('goes on after a task that failed, and passes its error to its caller', async () => {
    const run = createOneAtATime();
    const failed = run('shop', async () => {
      throw new Error('boom');
    });
    const next = run('shop', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ran');
  });
});
