import { START, configMap, plan } from './__testing__/simulate';
import {
  abandonRetry,
  backoffDelay,
  endFailedAttempt,
  parseDuration,
  retryDue,
} from './retry';

describe('parseDuration', () => {
  it.each([
    ['5s', 5_000],
    ['3m', 180_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['0', 0],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 's', '5 s', '5x', '-5s', '5s '])('rejects "%s"', text => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const backoff = { duration: '5s', factor: 2, maxDuration: '3m' };

  it('multiplies by the factor per retry, up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(n => backoffDelay(backoff, n))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 180_000,
    ]);
  });

  it('falls back to the defaults for durations it cannot read', () => {
    expect(
      backoffDelay({ duration: 'x', factor: 0, maxDuration: 'y' }, 1),
    ).toBe(10_000);
  });
});

describe('abandonRetry', () => {
  const retry = {
    limit: 3,
    backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
  };
  const waiting = endFailedAttempt(
    plan([configMap('settings')], { options: { retry } }),
    'one or more objects failed to apply',
    START,
  );
  const at = (ms: number) => new Date(START.getTime() + ms);

  it('is due once the backoff has passed', () => {
    expect(waiting.phase).toBe('Running');
    expect(retryDue(waiting, at(4_999))).toBe(false);
    expect(retryDue(waiting, at(5_000))).toBe(true);
    expect(retryDue(plan([configMap('settings')]), at(5_000))).toBe(false);
  });

  it('ends the operation with the last failure and the reason, without another attempt', () => {
    const ended = abandonRetry(waiting, 'automated sync is now off', at(5_000));
    expect(ended).toMatchObject({
      phase: 'Failed',
      message:
        'one or more objects failed to apply; not retried: automated sync is now off',
      finishedAt: at(5_000).toISOString(),
      cursor: { stage: 'done' },
      retryCount: 1,
    });
    expect(ended.nextAttemptAt).toBeUndefined();
  });
});
