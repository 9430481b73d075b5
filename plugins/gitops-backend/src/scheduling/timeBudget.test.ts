import { durationInWords, withinBudget } from './timeBudget';

describe('withinBudget', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('answers with the work when it ends in time', async () => {
    const answer = withinBudget(
      1000,
      async budget => (budget.commit() ? 'done' : 'late'),
      async () => 'overrun',
    );
    await expect(answer).resolves.toBe('done');
  });

  it('answers with the overrun when the work takes longer, and the work may store nothing after', async () => {
    let finish!: () => void;
    let committed: boolean | undefined;
    const work = new Promise<void>(resolve => (finish = resolve));
    const answer = withinBudget(
      1000,
      async budget => {
        await work;
        committed = budget.commit();
        if (!committed) throw new Error('abandoned');
        return 'done';
      },
      async () => 'overrun',
    );
    await jest.advanceTimersByTimeAsync(1000);
    await expect(answer).resolves.toBe('overrun');
    finish();
    await jest.advanceTimersByTimeAsync(0);
    expect(committed).toBe(false);
  });

  it('lets work that has begun to store finish, rather than answer twice', async () => {
    let finish!: () => void;
    const storing = new Promise<void>(resolve => (finish = resolve));
    const overrun = jest.fn(async () => 'overrun');
    const answer = withinBudget(
      1000,
      async budget => {
        budget.commit();
        await storing;
        return 'stored';
      },
      overrun,
    );
    await jest.advanceTimersByTimeAsync(5000);
    finish();
    await expect(answer).resolves.toBe('stored');
    expect(overrun).not.toHaveBeenCalled();
  });

  it('passes on the error of work that fails in time', async () => {
    await expect(
      withinBudget(
        1000,
        async () => {
          throw new Error('broken');
        },
        async () => 'overrun',
      ),
    ).rejects.toThrow('broken');
  });
});

describe('durationInWords', () => {
  it.each([
    [120_000, '2 minutes'],
    [60_000, '1 minute'],
    [90_000, '90 seconds'],
    [1_000, '1 second'],
    [250, '250 ms'],
  ])('%d ms is "%s"', (ms, words) => {
    expect(durationInWords(ms)).toBe(words);
  });
});
