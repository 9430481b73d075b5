/* eslint-disable no-console */
// Steady-state cost of a controller, measured the same way for this product
// (bench/backend.bench.ts) and for Argo CD (bench/peers/argocd): API-server
// requests over a window, from the API server's own counter
// `apiserver_request_total` (every client, WATCH excluded: a watch is one
// long request, not a cost per minute), and CPU seconds of the controller's
// processes from /proc/<pid>/stat, including reaped children such as git.
import { readFileSync } from 'node:fs';
import { ApiServer } from './apiServer';

/** Counter values of `apiserver_request_total` by "VERB resource[/subresource]". */
export type RequestCounts = Map<string, number>;

const DRY_RUN = ' (dry run)';

/**
 * Reads `apiserver_request_total` from the Prometheus text of /metrics.
 * Hand-parsed: the one metric has simple labels, and no maintained
 * JavaScript parser of the text format is in the workspace.
 */
export function parseRequestCounts(metrics: string): RequestCounts {
  const counts: RequestCounts = new Map();
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const close = line.lastIndexOf('}');
    const labels = new Map<string, string>();
    for (const m of line
      .slice(24, close)
      .matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels.set(m[1], m[2]);
    }
    const verb = labels.get('verb') ?? '';
    if (verb === 'WATCH') continue;
    const resource = [labels.get('resource'), labels.get('subresource')]
      .filter(Boolean)
      .join('/');
    const key = `${verb} ${resource || '(non-resource)'}${
      labels.get('dry_run') ? DRY_RUN : ''
    }`;
    const value = Number(line.slice(close + 1).trim());
    counts.set(key, (counts.get(key) ?? 0) + value);
  }
  return counts;
}

export async function readRequestCounts(
  api: ApiServer,
): Promise<RequestCounts> {
  return parseRequestCounts(await api.text('GET', '/metrics'));
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on Linux on every architecture we run on

/** CPU seconds used so far by a process and its reaped children. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) in parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14-17, i.e. 11-14 after ")".
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / CLOCK_TICKS;
}

/** Resident memory of a process in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

export interface MeteredProcess {
  label: string;
  pid: number;
}

export interface WindowFigures {
  seconds: number;
  /** Non-WATCH requests of every client in the window. */
  requests: number;
  dryRunRequests: number;
  /** The busiest "VERB resource" keys, most requests first. */
  top: [string, number][];
  /** CPU seconds per process label over the window. */
  cpu: Record<string, number>;
}

export interface SteadyWindowOptions {
  api: ApiServer;
  processes: MeteredProcess[];
  seconds: number;
  /**
   * For a controller whose loop the benchmark drives: run at the start of
   * the window and then every `everyMs` until it ends, as the scheduler would.
   */
  tick?: { everyMs: number; run: () => Promise<unknown> };
}

/** Measures the cost of a window in which nothing changes. */
export async function measureSteadyWindow(
  options: SteadyWindowOptions,
): Promise<WindowFigures> {
  const { api, processes, seconds, tick } = options;
  const before = await readRequestCounts(api);
  const cpuBefore = processes.map(p => cpuSeconds(p.pid));
  const start = Date.now();
  const end = start + seconds * 1000;
  const pending: Promise<unknown>[] = [];
  if (tick) {
    for (let at = start; at < end; at += tick.everyMs) {
      await sleep(at - Date.now());
      pending.push(tick.run());
    }
    await Promise.all(pending);
  }
  await sleep(end - Date.now());
  const after = await readRequestCounts(api);
  const cpu: Record<string, number> = {};
  processes.forEach((p, i) => {
    cpu[p.label] = (cpu[p.label] ?? 0) + cpuSeconds(p.pid) - cpuBefore[i];
  });
  const delta: [string, number][] = [...after]
    .map(([key, value]): [string, number] => [
      key,
      value - (before.get(key) ?? 0),
    ])
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    seconds: (Date.now() - start) / 1000,
    requests: delta.reduce((sum, [, n]) => sum + n, 0),
    dryRunRequests: delta
      .filter(([key]) => key.endsWith(DRY_RUN))
      .reduce((sum, [, n]) => sum + n, 0),
    top: delta.slice(0, 6),
    cpu,
  };
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, Math.max(0, ms)));
}

/** The rows both benchmarks print, so that they compare line by line. */
export function steadyWindowRows(figures: WindowFigures): [string, string][] {
  const minutes = figures.seconds / 60;
  const rows: [string, string][] = [
    [
      `steady ${figures.seconds.toFixed(
        0,
      )} s: API-server requests (non-WATCH, all clients)`,
      `${figures.requests}${
        figures.dryRunRequests ? ` (${figures.dryRunRequests} dry run)` : ''
      }, ${(figures.requests / minutes).toFixed(1)}/min`,
    ],
    [
      '… busiest',
      figures.top.map(([key, n]) => `${key} ${n}`).join(', ') || 'none',
    ],
  ];
  for (const [label, seconds] of Object.entries(figures.cpu)) {
    rows.push([
      `steady: ${label} CPU seconds`,
      `${seconds.toFixed(2)} s, ${(seconds / minutes).toFixed(2)} s/min`,
    ]);
  }
  return rows;
}

export function printSteadyWindow(figures: WindowFigures) {
  for (const [label, value] of steadyWindowRows(figures)) {
    console.log(`${label.padEnd(62)} ${value}`);
  }
}
