import { OperationTask } from '@backstage-gitops/plugin-gitops-common';

const PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

export type TimelineBar = {
  task: OperationTask;
  /** Percentages of the axis. */
  left: number;
  width: number;
  failed: boolean;
};

export type TimelineBand = {
  label: string;
  left: number;
  width: number;
};

export function isFailed(task: OperationTask): boolean {
  return (
    task.status === 'SyncFailed' ||
    task.hookPhase === 'Failed' ||
    task.hookPhase === 'Error'
  );
}

/**
 * Places an operation's tasks on a time axis from its start to its end (or
 * `now` while it runs): one bar per task, failures first, then in sync order;
 * and one band per phase and wave, spanning its tasks. Tasks that have not
 * started sit at the end of the axis, as a sliver.
 */
export function layoutTimeline(
  tasks: OperationTask[],
  startedAt: string,
  finishedAt: string | undefined,
  now: number,
): { bars: TimelineBar[]; bands: TimelineBand[]; spanMs: number } {
  const start = Date.parse(startedAt);
  const times = tasks.flatMap(t =>
    [t.startedAt, t.finishedAt].filter((x): x is string => !!x).map(Date.parse),
  );
  const end = times.reduce(
    (latest, time) => Math.max(latest, time),
    Math.max(finishedAt ? Date.parse(finishedAt) : now, start + 1),
  );
  const span = end - start;
  const pct = (time: number) => ((time - start) / span) * 100;
  const place = (t: OperationTask) => {
    const from = t.startedAt ? Date.parse(t.startedAt) : end;
    // A task still running reaches the axis's end.
    const to = t.finishedAt ? Date.parse(t.finishedAt) : end;
    const left = Math.min(pct(from), 99);
    return { left, width: Math.max(pct(to) - left, 1) };
  };
  const order = (t: OperationTask) =>
    PHASES.indexOf(t.syncPhase) * 1e6 + t.wave;
  const bars = tasks
    .map((task, index) => ({
      task,
      index,
      failed: isFailed(task),
      ...place(task),
    }))
    .sort(
      (a, b) =>
        Number(b.failed) - Number(a.failed) ||
        order(a.task) - order(b.task) ||
        a.left - b.left ||
        a.index - b.index,
    )
    .map(({ index: _index, ...bar }) => bar);

  const groups = new Map<string, { from: number; to: number; order: number }>();
  for (const bar of bars) {
    const t = bar.task;
    const label = `${t.syncPhase} · wave ${t.wave}`;
    const from = bar.left;
    const to = bar.left + bar.width;
    const group = groups.get(label);
    groups.set(label, {
      from: Math.min(group?.from ?? from, from),
      to: Math.max(group?.to ?? to, to),
      order: order(t),
    });
  }
  const bands = [...groups.entries()]
    .sort((a, b) => a[1].order - b[1].order)
    .map(([label, g]) => ({
      label,
      left: g.from,
      width: Math.max(g.to - g.from, 1),
    }));
  return { bars, bands, spanMs: span };
}
