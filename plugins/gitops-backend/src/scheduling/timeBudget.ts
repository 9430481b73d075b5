import { ApplicationCondition } from '@backstage-gitops/plugin-gitops-common';

/**
 * Lets work run for at most `budgetMs`, then answers with `overrun()`
 * instead. Nothing a comparison waits on (a Git fetch, a render tool, the
 * API server) can be interrupted from here, so the work goes on in the
 * background: it asks `commit()` before it stores anything, and an
 * abandoned run stores nothing (the overrun's answer stands until the next
 * refresh). Once committed, the work is let finish: its result and the
 * overrun's never both get stored.
 */
export type Budget = {
  /** True when the work may store its result; false once abandoned. */
  commit(): boolean;
};

/** Thrown (to nobody) inside abandoned work that tries to commit. */
export class AbandonedError extends Error {
  constructor() {
    super('abandoned: its time budget ran out');
  }
}

export function withinBudget<T>(
  budgetMs: number,
  work: (budget: Budget) => Promise<T>,
  overrun: () => Promise<T>,
): Promise<T> {
  let state: 'running' | 'committed' | 'abandoned' = 'running';
  const budget: Budget = {
    commit() {
      if (state === 'abandoned') return false;
      state = 'committed';
      return true;
    },
  };
  const result = work(budget);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (state !== 'running') return;
      state = 'abandoned';
      // The work may still fail, long after: that is no one's answer now.
      result.catch(() => undefined);
      overrun().then(resolve, reject);
    }, budgetMs);
    timer.unref?.();
    result.then(
      value => {
        clearTimeout(timer);
        if (state !== 'abandoned') resolve(value);
      },
      error => {
        clearTimeout(timer);
        if (state !== 'abandoned') reject(error);
      },
    );
  });
}

/** What an application shows when its refresh was abandoned. */
export function overrunCondition(budgetMs: number): ApplicationCondition {
  return {
    type: 'ComparisonError',
    message: `comparison took longer than ${durationInWords(
      budgetMs,
    )} and was abandoned; other applications went on (gitops.reconcile.refreshBudgetSeconds)`,
  };
}

/** "2 minutes", "90 seconds": a budget in the words of a condition. */
export function durationInWords(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds >= 60 && seconds % 60 === 0) {
    const minutes = seconds / 60;
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  if (ms < 1000) return `${ms} ms`;
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
