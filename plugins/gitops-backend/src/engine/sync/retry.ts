import { DEFAULT_BACKOFF, RetryBackoff, SyncOperationState } from './types';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;

/**
 * Milliseconds in a Go duration (`5s`, `1m30s`, `1.5h`), as Argo CD's retry
 * backoff is written. No library reads Go's format exactly; it is ten lines.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '0') {
    return 0;
  }
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let match = PART.exec(text); match; match = PART.exec(text)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
    end = PART.lastIndex;
  }
  return end > 0 && end === text.length ? total : undefined;
}

/**
 * How long to wait before retry number `retryCount` (0 for the first retry):
 * `duration * factor^retryCount`, capped at `maxDuration`, as Argo CD does.
 */
export function backoffDelay(
  backoff: RetryBackoff,
  retryCount: number,
): number {
  const duration =
    parseDuration(backoff.duration) ?? parseDuration(DEFAULT_BACKOFF.duration)!;
  const max =
    parseDuration(backoff.maxDuration) ??
    parseDuration(DEFAULT_BACKOFF.maxDuration)!;
  const factor = backoff.factor > 0 ? backoff.factor : DEFAULT_BACKOFF.factor;
  return Math.min(duration * factor ** retryCount, max);
}

function retriesLeft(state: SyncOperationState): boolean {
  const limit = state.options.retry?.limit ?? 0;
  return !state.options.dryRun && (limit < 0 || state.retryCount < limit);
}

/**
 * Ends a failed attempt: either the operation fails, or, with retries left,
 * it waits for its backoff and then starts over from the beginning of the
 * plan, as Argo CD retries the whole sync rather than the failed wave.
 */
export function endFailedAttempt(
  state: SyncOperationState,
  message: string,
  now: Date,
): SyncOperationState {
  const at = now.toISOString();
  const { failure: _, ...rest } = state;
  if (!retriesLeft(state) || !state.options.retry) {
    return {
      ...rest,
      phase: 'Failed',
      message,
      finishedAt: at,
      cursor: { stage: 'done' },
    };
  }
  const delay = backoffDelay(state.options.retry.backoff, state.retryCount);
  const next = new Date(now.getTime() + delay).toISOString();
  const limit = state.options.retry.limit;
  const attempt = state.retryCount + 1;
  return {
    ...rest,
    phase: 'Running',
    message: `${message}; retry ${attempt}${
      limit < 0 ? '' : ` of ${limit}`
    } at ${next}`,
    retryCount: attempt,
    nextAttemptAt: next,
    attempts: [
      ...state.attempts,
      {
        startedAt: state.attemptStartedAt ?? state.startedAt,
        finishedAt: at,
        message,
      },
    ],
    cursor: { stage: 'done' },
  };
}

/** Puts every task back as planned, for the next attempt. */
export function restartAttempt(
  state: SyncOperationState,
  now: Date,
): SyncOperationState {
  const { nextAttemptAt: _, ...rest } = state;
  return {
    ...rest,
    attemptStartedAt: now.toISOString(),
    message: `attempt ${state.retryCount + 1} started`,
    cursor: { stage: 'validate' },
    tasks: state.tasks.map(task => {
      if (
        task.status === 'PruneSkipped' ||
        (task.isHook && state.options.dryRun)
      ) {
        return task;
      }
      const {
        hookPhase: _h,
        health: _health,
        startedAt: _s,
        finishedAt: _f,
        ...planned
      } = task;
      return {
        ...planned,
        status: 'Pending',
        message: '',
        progress: 'pending',
      };
    }),
  };
}

/** Whether the operation waits for a retry that is due at `now`. */
export function retryDue(state: SyncOperationState, now: Date): boolean {
  return (
    state.nextAttemptAt !== undefined &&
    now.getTime() >= Date.parse(state.nextAttemptAt)
  );
}

/**
 * Ends an operation waiting for its next attempt without that attempt: the
 * last attempt's failure stands, with `reason` (say, automated sync was
 * turned off since).
 */
export function abandonRetry(
  state: SyncOperationState,
  reason: string,
  now: Date,
): SyncOperationState {
  const { nextAttemptAt: _, ...rest } = state;
  const last = state.attempts[state.attempts.length - 1];
  return {
    ...rest,
    phase: 'Failed',
    message: `${last?.message ?? 'failed'}; not retried: ${reason}`,
    finishedAt: now.toISOString(),
    cursor: { stage: 'done' },
  };
}
