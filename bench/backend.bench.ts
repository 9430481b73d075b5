/* eslint-disable no-console */
// Backend figures (issue "Backend plugin"): N applications of M ConfigMaps
// each (default 1,000 × 10) against a real control plane and a real Git
// server: a full reconcile pass with everything missing (which starts the
// automated syncs), the time until all are Synced, a steady-state pass,
// memory, and webhook-to-Synced latency for one changed application. The
// services are wired as plugin.ts wires them, on SQLite; no Backstage HTTP.
// Prints figures only.
//
//   yarn bench:backend                       # 1,000 × 10
//   BENCH_APPS=100 yarn bench:backend        # a quicker run
import { ConfigReader } from '@backstage/config';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import knexFactory from 'knex';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createClusterClients,
  readClusters,
} from '../plugins/gitops-backend/src/cluster/clusters';
import {
  GitopsController,
  createGitopsController,
} from '../plugins/gitops-backend/src/controller/createGitopsController';
import {
  createGitMirrors,
  createRepositoryService,
} from '../plugins/gitops-backend/src/repository';
import { startGitServer } from '../plugins/gitops-backend/src/repository/__testUtils__/gitServer';
import { createTestRepo } from '../plugins/gitops-backend/src/repository/__testUtils__/testRepo';
import { parsePush } from '../plugins/gitops-backend/src/webhooks/parsePush';
import { createWebhookService } from '../plugins/gitops-backend/src/webhooks/WebhookService';
import { apiServer } from './lib/apiServer';
import { measureSteadyWindow, printSteadyWindow } from './lib/apiServerMetrics';

const APPS = Number(process.env.BENCH_APPS ?? 1000);
const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WATCH = process.env.BENCH_WATCH !== 'false';
const NAMESPACE = 'bench';

const quiet = {
  debug() {},
  info() {},
  warn() {},
  error(message: string, error?: unknown) {
    console.error(message, error);
  },
  child() {
    return quiet;
  },
};

function configMap(app: number, i: number, version: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${app}-cm-${i}\ndata:\n  version: "${version}"\n`;
}

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label.padEnd(62)} ${(ms / 1000).toFixed(2).padStart(9)} s`);
  return result;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function main() {
  // The control plane of the tests (test/cluster), binaries already built.
  const { startCluster } = require('../test/cluster/cluster');
  const cluster = await startCluster({ build: false });
  const git = await startGitServer();
  const cacheDir = await mkdtemp(join(tmpdir(), 'gitops-bench-backend-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(cacheDir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  let controller: GitopsController | undefined;
  try {
    const repo = await createTestRepo(git, 'fleet');
    const files: Record<string, string> = {};
    for (let a = 0; a < APPS; a++) {
      for (let i = 0; i < RESOURCES; i++) {
        files[`apps/app-${a}/cm-${i}.yaml`] = configMap(a, i, 1);
      }
    }
    await repo.commit(files);

    const config = new ConfigReader({
      gitops: {
        clusters: [{ name: 'bench', kubeconfigPath: cluster.kubeconfigPath }],
      },
    });
    const clusters = readClusters(config);
    const clientFor = createClusterClients(clusters);
    await clientFor('bench').apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE },
    });
    const definitions: ApplicationDefinition[] = Array.from(
      { length: APPS },
      (_, a) => ({
        name: `app-${a}`,
        origin: 'config',
        entityRefs: [],
        source: {
          repoURL: repo.url,
          path: `apps/app-${a}`,
          targetRevision: 'HEAD',
        },
        destination: { cluster: 'bench', namespace: NAMESPACE },
        syncPolicy: {
          automated: { prune: true, selfHeal: false, allowEmpty: false },
        },
      }),
    );
    const repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 60_000,
        allowHttp: true,
      }),
    });
    const applications = {
      readDefinitions: async () => ({
        applications: definitions,
        problems: [],
      }),
    };
    // Built as plugin.ts builds it (watch cache on by default); not started:
    // the bench runs the passes the scheduler would.
    controller = await createGitopsController({
      logger: quiet as any,
      auth: { getOwnServiceCredentials: async () => ({}) } as any,
      scheduler: {} as any,
      database: { getClient: async () => knex } as any,
      applications,
      repository,
      clusters,
      clientFor,
      settings: {
        enabled: true,
        watch: WATCH,
        interval: { minutes: 3 },
        concurrency: CONCURRENCY,
      },
    });
    const { reconciler, statuses } = controller;

    const synced = async (names: string[], revision?: string) => {
      const known = await statuses.readStatuses(names);
      return names.filter(name => {
        const status = known.get(name);
        return (
          status?.sync === 'Synced' &&
          (!revision || status.revision === revision)
        );
      }).length;
    };
    const names = definitions.map(d => d.name);
    const waitAllSynced = async (revision?: string, subset = names) => {
      for (;;) {
        if ((await synced(subset, revision)) === subset.length) return;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
    };

    console.log(
      `Backend: ${APPS} applications × ${RESOURCES} ConfigMaps, ${CONCURRENCY} compared at once, watch cache ${
        WATCH ? 'on' : 'off'
      }`,
    );
    await time('reconcile pass, all missing (starts the automated syncs)', () =>
      reconciler.refreshAll(),
    );
    await time('… until every application is Synced', () => waitAllSynced());
    await time('reconcile pass, steady state (all Synced)', () =>
      reconciler.refreshAll(),
    );
    global.gc?.();
    const memory = process.memoryUsage();
    console.log(
      `steady-state memory: heap used ${mb(memory.heapUsed)}, RSS ${mb(
        memory.rss,
      )}${global.gc ? '' : ' (run node with --expose-gc for a settled heap)'}`,
    );
    // Comparable with bench/peers/argocd: passes every 3 minutes, as configured.
    printSteadyWindow(
      await measureSteadyWindow({
        api: apiServer(cluster),
        processes: [{ label: 'backend', pid: process.pid }],
        seconds: Number(process.env.BENCH_STEADY_SECONDS ?? 300),
        tick: { everyMs: 180_000, run: () => reconciler.refreshAll() },
      }),
    );

    const webhooks = createWebhookService({
      applications: applications as any,
      refresh: app => reconciler.refresh(app),
      auth: { getOwnServiceCredentials: async () => ({}) } as any,
      logger: quiet as any,
    });
    const sha = await repo.commit({
      'apps/app-0/cm-0.yaml': configMap(0, 0, 2),
    });
    await time('webhook to Synced, one changed application', async () => {
      const refreshed = await webhooks.onPush(
        parsePush('github', {
          ref: 'refs/heads/main',
          repository: { clone_url: repo.url, default_branch: 'main' },
          commits: [{ modified: ['apps/app-0/cm-0.yaml'] }],
        }),
      );
      if (refreshed.join() !== 'app-0') {
        throw new Error(`webhook refreshed ${refreshed.join(', ')}`);
      }
      await waitAllSynced(sha, ['app-0']);
    });
    console.log(
      `peak memory (max RSS of this process): ${mb(
        process.resourceUsage().maxRSS * 1024,
      )}`,
    );
  } finally {
    await controller?.stop();
    await knex.destroy();
    await git.close();
    await cluster.stop();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
