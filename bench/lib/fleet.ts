// The workload of the fleet benchmarks: N applications of M ConfigMaps each,
// one folder per application in one Git repository. The same text as
// bench/backend.bench.ts commits, so that both systems sync the same objects.

export function configMap(app: number, i: number, version: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${app}-cm-${i}\ndata:\n  version: "${version}"\n`;
}

export function fleetFiles(
  apps: number,
  resources: number,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (let a = 0; a < apps; a++) {
    for (let i = 0; i < resources; i++) {
      files[`apps/app-${a}/cm-${i}.yaml`] = configMap(a, i, 1);
    }
  }
  return files;
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, Math.max(0, ms)));
}

/** Polls `check` until it returns true; the elapsed milliseconds. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs: number },
): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > options.timeoutMs) {
      throw new Error(`timed out after ${options.timeoutMs / 1000} s: ${what}`);
    }
    await sleep(options.intervalMs);
  }
}

/** "median 0.41 s (0.32–0.64 s)" */
export function spread(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const s = (v: number) => (v / 1000).toFixed(2);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${s(median)} s (${s(sorted[0])}–${s(
    sorted[sorted.length - 1],
  )} s, n=${sorted.length})`;
}
