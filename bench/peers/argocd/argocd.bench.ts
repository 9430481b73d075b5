/* eslint-disable no-console */
// Argo CD side by side (issue "Fleet scale"): Argo CD v2.14's application
// controller and repo server, built by ./build.sh, on the test control plane
// with the workload of bench:backend: PEER_APPS (100) Applications × 10
// ConfigMaps from one repository of the test Git server, automated prune +
// selfHeal. Prints one table of figures; asserts nothing.
//
//   bash bench/peers/argocd/build.sh          # once, 15-30 minutes
//   yarn bench:argocd                         # 100 apps
//   PEER_APPS=1000 yarn bench:argocd
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer } from '../../../plugins/gitops-backend/src/repository/__testUtils__/gitServer';
import { createTestRepo } from '../../../plugins/gitops-backend/src/repository/__testUtils__/testRepo';
import { apiServer } from '../../lib/apiServer';
import {
  measureSteadyWindow,
  rssBytes,
  steadyWindowRows,
} from '../../lib/apiServerMetrics';
import { configMap, fleetFiles, sleep, spread, until } from '../../lib/fleet';
import { application, installArgoCd, kubectlApply } from './install';
import { ARGOCD_NAMESPACE, argoCdBinDir, startArgoCd } from './processes';

const APPS = Number(process.env.PEER_APPS ?? 100);
const RESOURCES = Number(process.env.PEER_RESOURCES ?? 10);
const STEADY_SECONDS = Number(process.env.PEER_STEADY_SECONDS ?? 300);
const BASELINE_SECONDS = Number(process.env.PEER_BASELINE_SECONDS ?? 60);
const SETTLE_SECONDS = Number(process.env.PEER_SETTLE_SECONDS ?? 30);
const SAMPLES = Number(process.env.PEER_SAMPLES ?? 5);
const NAMESPACE = 'bench';
const APPS_PATH = `/apis/argoproj.io/v1alpha1/namespaces/${ARGOCD_NAMESPACE}/applications`;

const rows: [string, string][] = [];
function row(metric: string, value: string) {
  rows.push([metric, value]);
  console.error(`[peer] ${metric}: ${value}`);
}
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  const binDir = argoCdBinDir(); // fails before anything starts when not built
  const loadAtStart = loadavg()[0]; // the machine is shared: say how busy it was
  const version = /argocd-(v[\d.]+)-/.exec(binDir)?.[1] ?? 'unknown version';
  const { startCluster } = require('../../../test/cluster/cluster');
  const cluster = await startCluster({ build: false });
  const git = await startGitServer();
  const workDir = await mkdtemp(join(tmpdir(), 'gitops-bench-argocd-'));
  let argo: Awaited<ReturnType<typeof startArgoCd>> | undefined;
  try {
    const api = apiServer(cluster);
    const repo = await createTestRepo(git, 'fleet');
    await repo.commit(fleetFiles(APPS, RESOURCES));
    await installArgoCd({
      api,
      kubectlDir: cluster.binDir,
      argoCdBinDir: binDir,
      kubeconfigPath: cluster.kubeconfigPath,
      destinationNamespace: NAMESPACE,
    });
    console.error(
      `[peer] Argo CD ${version}: ${APPS} Applications × ${RESOURCES} ConfigMaps, automated prune + selfHeal`,
    );

    if (BASELINE_SECONDS > 0) {
      const alone = await measureSteadyWindow({
        api,
        processes: [],
        seconds: BASELINE_SECONDS,
      });
      row(
        `cluster alone (no controller), ${alone.seconds.toFixed(
          0,
        )} s: API-server requests`,
        `${alone.requests}, ${((alone.requests * 60) / alone.seconds).toFixed(
          1,
        )}/min (${alone.top.map(([key, n]) => `${key} ${n}`).join(', ')})`,
      );
    }

    argo = await startArgoCd({
      kubeconfigPath: cluster.kubeconfigPath,
      workDir,
    });
    const start = performance.now();
    kubectlApply(
      cluster.binDir,
      cluster.kubeconfigPath,
      Array.from({ length: APPS }, (_, a) =>
        application({
          name: `app-${a}`,
          repoURL: repo.url,
          path: `apps/app-${a}`,
          namespace: NAMESPACE,
        }),
      ),
    );
    let lastReport = 0;
    await until(
      'all Applications Synced + Healthy',
      async () => {
        const list = await api.json('GET', APPS_PATH);
        const done = list.items.filter(
          (app: any) =>
            app.status?.sync?.status === 'Synced' &&
            app.status?.health?.status === 'Healthy',
        ).length;
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          console.error(
            `[peer] ${done}/${APPS} Synced + Healthy after ${(
              (lastReport - start) /
              1000
            ).toFixed(0)} s`,
          );
        }
        return done === APPS;
      },
      // Each poll lists every Application: keep it light for big fleets.
      { timeoutMs: 3_600_000, intervalMs: APPS > 300 ? 2_000 : 1_000 },
    );
    row(
      `${APPS} apps: nothing → all Synced + Healthy`,
      `${((performance.now() - start) / 1000).toFixed(1)} s`,
    );

    await sleep(SETTLE_SECONDS * 1000);
    const gitBefore = git.requests.length;
    const steady = await measureSteadyWindow({
      api,
      processes: argo.processes,
      seconds: STEADY_SECONDS,
    });
    for (const [metric, value] of steadyWindowRows(steady)) row(metric, value);
    const gitRequests = git.requests.slice(gitBefore);
    row(
      'steady: Git requests (ls-remote + fetch)',
      `${gitRequests.length} (${
        gitRequests.filter(r => r.method === 'POST').length
      } upload-pack)`,
    );

    const rss = argo.processes.map(p => [p.label, rssBytes(p.pid)] as const);
    row(
      `${APPS} apps: RSS (controller + repo server + redis)`,
      `${mb(rss.reduce((sum, [, b]) => sum + b, 0))} (${rss
        .map(([l, b]) => `${l} ${mb(b)}`)
        .join(', ')})`,
    );

    const cm = (a: number) =>
      `/api/v1/namespaces/${NAMESPACE}/configmaps/app-${a}-cm-0`;
    const liveVersion = async (a: number) =>
      (await api.json('GET', cm(a))).data?.version;
    const merge = 'application/merge-patch+json';
    const drift: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const a = (1 + k) % APPS; // a different app each time: selfHeal backs off per app
      const t = performance.now();
      await api.json('PATCH', cm(a), { data: { version: 'drift' } }, merge);
      await until(
        `app-${a} drift repaired`,
        async () => (await liveVersion(a)) === '1',
        {
          timeoutMs: 300_000,
          intervalMs: 20,
        },
      );
      drift.push(performance.now() - t);
      await sleep(1_000);
    }
    row('drift → repaired (live edit, selfHeal)', spread(drift));

    const commit: number[] = [];
    for (let k = 0; k < SAMPLES; k++) {
      const a = APPS - 1 - (k % APPS);
      await repo.commit({
        [`apps/app-${a}/cm-0.yaml`]: configMap(a, 0, 2 + k),
      });
      const t = performance.now();
      // What Argo CD's webhook handler does for an app whose files changed.
      await api.json(
        'PATCH',
        `${APPS_PATH}/app-${a}`,
        {
          metadata: { annotations: { 'argocd.argoproj.io/refresh': 'normal' } },
        },
        merge,
      );
      await until(
        `app-${a} commit live`,
        async () => (await liveVersion(a)) === String(2 + k),
        {
          timeoutMs: 300_000,
          intervalMs: 20,
        },
      );
      commit.push(performance.now() - t);
      await sleep(1_000);
    }
    row('commit → live after a refresh (refresh annotation)', spread(commit));

    console.log(
      `\nArgo CD ${version}, ${APPS} Applications × ${RESOURCES} ConfigMaps, ${new Date()
        .toISOString()
        .slice(0, 10)}\n`,
    );
    row(
      'machine',
      `${cpus().length} cores, load average (1 min) ${loadAtStart.toFixed(
        1,
      )} at start, ${loadavg()[0].toFixed(1)} at end`,
    );
    console.log(`| metric | Argo CD ${version} |`);
    console.log('|---|---|');
    for (const [metric, value] of rows) console.log(`| ${metric} | ${value} |`);
  } catch (error) {
    if (argo) console.error(argo.logTails());
    throw error;
  } finally {
    await argo?.stop();
    await git.close();
    await cluster.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
