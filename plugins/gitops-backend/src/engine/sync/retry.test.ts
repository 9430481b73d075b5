import { backoffDelay, parseDuration } from './retry';

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
