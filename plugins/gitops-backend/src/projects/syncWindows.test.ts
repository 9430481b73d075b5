import { evaluateSyncWindows, isWindowActive } from './syncWindows';
import { SyncWindow } from '@backstage-gitops/plugin-gitops-common';

const target = { application: 'cart', namespace: 'shop', cluster: 'prod' };
// A Wednesday, 10:30 UTC.
const now = new Date('2026-11-25T10:30:00Z');
const nightly: SyncWindow = {
  kind: 'deny',
  schedule: '0 22 * * *',
  duration: '8h',
  applications: ['*'],
};
const officeHours: SyncWindow = {
  kind: 'allow',
  schedule: '0 9 * * 1-5',
  duration: '8h',
  applications: ['cart'],
};

describe('sync windows', () => {
  it('is open from each firing of the schedule for its duration', () => {
    expect(isWindowActive(officeHours, now)).toBe(true);
    expect(isWindowActive(officeHours, new Date('2026-11-25T17:00:00Z'))).toBe(
      false,
    );
    expect(isWindowActive(nightly, new Date('2026-11-26T05:59:00Z'))).toBe(
      true,
    );
    expect(isWindowActive(nightly, new Date('2026-11-26T06:00:00Z'))).toBe(
      false,
    );
  });

  it('reads the schedule in its time zone', () => {
    // 09:00 in New York is 14:00 UTC: closed at 10:30 UTC.
    expect(
      isWindowActive({ ...officeHours, timeZone: 'America/New_York' }, now),
    ).toBe(false);
  });

  it('blocks syncs while a matching deny window is open, unless manualSync lets people through', () => {
    const at = new Date('2026-11-25T23:00:00Z');
    expect(
      evaluateSyncWindows([nightly], target, { manual: false, now: at }),
    ).toEqual({
      allowed: false,
      reason: 'a deny sync window is open (schedule "0 22 * * *" for 8h UTC)',
    });
    expect(
      evaluateSyncWindows([{ ...nightly, manualSync: true }], target, {
        manual: true,
        now: at,
      }),
    ).toEqual({ allowed: true });
    expect(
      evaluateSyncWindows([{ ...nightly, manualSync: true }], target, {
        manual: false,
        now: at,
      }).allowed,
    ).toBe(false);
  });

  it('needs an open allow window when allow windows apply', () => {
    const evening = new Date('2026-11-25T20:00:00Z');
    expect(
      evaluateSyncWindows([officeHours], target, { manual: false, now }),
    ).toEqual({ allowed: true });
    expect(
      evaluateSyncWindows([officeHours], target, {
        manual: false,
        now: evening,
      }).allowed,
    ).toBe(false);
    expect(
      evaluateSyncWindows([{ ...officeHours, manualSync: true }], target, {
        manual: true,
        now: evening,
      }),
    ).toEqual({ allowed: true });
  });

  it('ignores windows whose selectors do not match the application', () => {
    const other = { ...nightly, applications: ['billing-*'] };
    expect(
      evaluateSyncWindows([other], target, {
        manual: false,
        now: new Date('2026-11-25T23:00:00Z'),
      }),
    ).toEqual({ allowed: true });
    const byNamespace = { ...other, namespaces: ['sh*'] };
    expect(
      evaluateSyncWindows([byNamespace], target, {
        manual: false,
        now: new Date('2026-11-25T23:00:00Z'),
      }).allowed,
    ).toBe(false);
  });
});
