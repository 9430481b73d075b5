/** The first 7 characters of a commit, as Git shows it. */
export function shortSha(revision: string | undefined): string {
  return revision ? revision.slice(0, 7) : '—';
}

/** `1m 05s`, `42s`, `850ms`: how long something took. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(
    2,
    '0',
  )}m`;
}

/** Duration between two ISO times; running ones are measured up to `now`. */
export function durationBetween(
  startedAt: string,
  finishedAt: string | undefined,
  now = Date.now(),
): string {
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return formatDuration(end - Date.parse(startedAt));
}

/** A date in the reader's locale, to the second. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The first line of a commit message. */
export function subject(message: string | undefined): string {
  return (message ?? '').split('\n')[0];
}

/** `user:default/guest` → `guest`; `automated` stays as it is. */
export function initiatorName(initiatedBy: string): string {
  const match = /^user:(?:[^/]+\/)?(.+)$/.exec(initiatedBy);
  return match ? match[1] : initiatedBy;
}
