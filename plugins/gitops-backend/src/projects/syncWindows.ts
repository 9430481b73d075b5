import { CronExpressionParser } from 'cron-parser';
import picomatch from 'picomatch';
import { parseGoDuration } from './duration';
import { SyncWindow } from '@backstage-gitops/plugin-gitops-common';

/** What a sync window applies to: the application and where it deploys. */
export type WindowTarget = {
  application: string;
  namespace?: string;
  cluster: string;
};

/** Why a cron schedule or duration cannot be used, or undefined. */
export function checkSyncWindow(window: SyncWindow): string | undefined {
  if (parseGoDuration(window.duration) === undefined) {
    return `duration "${window.duration}" is not a duration such as 1h or 30m`;
  }
  try {
    CronExpressionParser.parse(window.schedule, {
      tz: window.timeZone ?? 'UTC',
    });
  } catch (error) {
    return `schedule "${window.schedule}" is not a cron expression: ${
      (error as Error).message
    }`;
  }
  return undefined;
}

/**
 * Whether the window is open at `now`: the schedule's last firing at or
 * before `now` is less than `duration` ago. A window that cannot be read
 * counts as open, so that a broken deny window blocks rather than allows.
 */
export function isWindowActive(window: SyncWindow, now: Date): boolean {
  const duration = parseGoDuration(window.duration);
  if (duration === undefined) return true;
  try {
    // One millisecond on, so a firing exactly at `now` counts as the last one.
    const expression = CronExpressionParser.parse(window.schedule, {
      currentDate: new Date(now.getTime() + 1),
      tz: window.timeZone ?? 'UTC',
    });
    const start = expression.prev().getTime();
    return now.getTime() - start < duration;
  } catch {
    return true;
  }
}

const glob = (patterns: string[] | undefined, value: string | undefined) =>
  (patterns ?? []).some(
    p =>
      value !== undefined &&
      picomatch.isMatch(value, p, { bash: true, dot: true }),
  );

/** Argo CD: a window applies when any of its selectors matches. */
export function windowMatches(window: SyncWindow, target: WindowTarget) {
  return (
    glob(window.applications, target.application) ||
    glob(window.namespaces, target.namespace) ||
    glob(window.clusters, target.cluster)
  );
}

export type WindowDecision =
  | { allowed: true }
  | { allowed: false; reason: string };

/**
 * Argo CD's rule: an open deny window blocks; if allow windows apply, one of
 * them must be open. `manualSync` on the blocking windows lets a person's
 * sync through.
 */
export function evaluateSyncWindows(
  windows: SyncWindow[],
  target: WindowTarget,
  options: { manual: boolean; now: Date },
): WindowDecision {
  const matching = windows.filter(w => windowMatches(w, target));
  const active = matching.filter(w => isWindowActive(w, options.now));
  const deny = active.filter(w => w.kind === 'deny');
  if (deny.length) {
    if (options.manual && deny.every(w => w.manualSync))
      return { allowed: true };
    return {
      allowed: false,
      reason: `a deny sync window is open (${describe(deny[0])})`,
    };
  }
  const allows = matching.filter(w => w.kind === 'allow');
  if (!allows.length || active.some(w => w.kind === 'allow')) {
    return { allowed: true };
  }
  if (options.manual && allows.some(w => w.manualSync))
    return { allowed: true };
  return {
    allowed: false,
    reason: `no allow sync window is open (next: ${describe(allows[0])})`,
  };
}

function describe(window: SyncWindow): string {
  return `schedule "${window.schedule}" for ${window.duration}${
    window.timeZone ? ` ${window.timeZone}` : ' UTC'
  }`;
}
