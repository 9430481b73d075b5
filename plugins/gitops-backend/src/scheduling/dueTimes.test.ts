import {
  JITTER_FRACTION,
  dueApplications,
  jitterMs,
  nextDueAt,
  shardFrequencyMs,
  shardOf,
} from './dueTimes';

const names = Array.from({ length: 1000 }, (_, i) => `app-${i}`);
const MINUTE = 60_000;

describe('shardOf', () => {
  it('puts an application in the same shard every time, and spreads a fleet evenly', () => {
    expect(names.map(n => shardOf(n, 6))).toEqual(
      names.map(n => shardOf(n, 6)),
    );
    const sizes = new Array(6).fill(0);
    for (const name of names) sizes[shardOf(name, 6)]++;
    for (const size of sizes) {
      expect(size).toBeGreaterThan(1000 / 6 / 2);
      expect(size).toBeLessThan((1000 / 6) * 2);
    }
  });

  it('has one shard when asked for none', () => {
    expect(new Set(names.map(n => shardOf(n, 0)))).toEqual(new Set([0]));
  });
});

describe('jitterMs', () => {
  it('is fixed per application, within a tenth of the interval, and differs between applications', () => {
    const jitters = names.map(n => jitterMs(n, 3 * MINUTE));
    expect(jitters).toEqual(names.map(n => jitterMs(n, 3 * MINUTE)));
    for (const jitter of jitters) {
      expect(jitter).toBeGreaterThanOrEqual(0);
      expect(jitter).toBeLessThan(3 * MINUTE * JITTER_FRACTION);
    }
    // Spread over the range, not bunched: a fleet compared at once falls
    // due over 18 s, not in the same second.
    const seconds = new Set(jitters.map(j => Math.floor(j / 1000)));
    expect(seconds.size).toBeGreaterThanOrEqual(15);
  });
});

describe('dueApplications', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');

  it('takes the never-compared and those an interval (plus jitter) past their last comparison, the longest overdue first', () => {
    const lastComparedAt = new Map([
      ['fresh', now - 10_000],
      ['old', now - 10 * MINUTE],
      ['older', now - 20 * MINUTE],
      ['just-due', now - 3 * MINUTE - jitterMs('just-due', 3 * MINUTE)],
      ['jitter-not-yet', now - 3 * MINUTE + 1],
    ]);
    expect(
      dueApplications({
        names: ['fresh', 'old', 'older', 'new', 'just-due', 'jitter-not-yet'],
        lastComparedAt,
        now,
        intervalMs: 3 * MINUTE,
      }),
    ).toEqual(['new', 'older', 'old', 'just-due']);
  });

  it('leaves alone the applications being compared already', () => {
    expect(
      dueApplications({
        names: ['a', 'b'],
        lastComparedAt: new Map(),
        now,
        intervalMs: MINUTE,
        busy: name => name === 'a',
      }),
    ).toEqual(['b']);
  });

  it('counts the next due time from a direct refresh too: refreshed now, due one interval later', () => {
    const refreshedAt = now;
    expect(nextDueAt('shop', refreshedAt, MINUTE)).toBe(
      now + MINUTE + jitterMs('shop', MINUTE),
    );
    const due = (at: number) =>
      dueApplications({
        names: ['shop'],
        lastComparedAt: new Map([['shop', refreshedAt]]),
        now: at,
        intervalMs: MINUTE,
      });
    expect(due(now + MINUTE - 1)).toEqual([]);
    expect(due(now + MINUTE * (1 + JITTER_FRACTION))).toEqual(['shop']);
  });
});

describe('shardFrequencyMs', () => {
  it('looks a tenth of the interval apart, between 1 and 15 seconds', () => {
    expect(shardFrequencyMs(3 * MINUTE)).toBe(15_000);
    expect(shardFrequencyMs(60_000)).toBe(6_000);
    expect(shardFrequencyMs(5_000)).toBe(1_000);
  });
});
