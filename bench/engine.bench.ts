/* eslint-disable no-console */
// Engine figures (issue 5, "Benchmark"): diff throughput of the pure compare;
// on a real control plane (test/cluster), the time from a Git commit to
// Synced/Healthy for a 20-resource application, from a live edit to its
// repair by selfHeal, and the memory the watch cache holds per 1,000 managed
// resources. Prints figures only.
//
//   yarn bench:engine      (starts its own cluster; needs the built binaries)
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { KubeConfig } from '@kubernetes/client-node';
import knexFactory from 'knex';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClusterClient,
  KubeObject,
} from '../plugins/gitops-backend/src/cluster/ClusterClient';
import {
  LiveStore,
  kindIdOf,
} from '../plugins/gitops-backend/src/cluster/liveCache/liveStore';
import { createKubeRequester } from '../plugins/gitops-backend/src/cluster/kubeRequest';
import { createWatchOpener } from '../plugins/gitops-backend/src/cluster/kubeWatch';
import { createGitopsController } from '../plugins/gitops-backend/src/controller/createGitopsController';
import { Manifest, stamp } from '../plugins/gitops-backend/src/engine';
import { compareResource } from '../plugins/gitops-backend/src/engine/diff';
import { deployment } from '../plugins/gitops-backend/src/engine/diff/__testing__/objects';
import {
  createGitMirrors,
  createRepositoryService,
} from '../plugins/gitops-backend/src/repository';
import { startGitServer } from '../plugins/gitops-backend/src/repository/__testUtils__/gitServer';
import { createTestRepo } from '../plugins/gitops-backend/src/repository/__testUtils__/testRepo';
import { startCluster } from '../test/cluster/cluster';

const DIFF_PAIRS = 2_000;
const APP_RESOURCES = 20;
const EDITS = 10;
const MEMORY_RESOURCES = 1_000;

const line = (label: string, value: string) =>
  console.log(`${label.padEnd(62)} ${value}`);
const ms = (n: number) => `${n.toFixed(0)} ms`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// ---- diff throughput (pure) ------------------------------------------------

// Unchanged and drifted resources are measured apart: a steady fleet is
// almost all unchanged, and a drifted one also builds its diff texts.
function diffThroughput() {
  const pairsOf = (drifted: boolean) =>
    Array.from({ length: DIFF_PAIRS }, (_, i) => {
      const desired = deployment();
      const live = deployment() as Manifest & Record<string, any>;
      live.status = { replicas: 2, readyReplicas: 2, observedGeneration: 3 };
      const container = (live.spec as any).template.spec.containers[0];
      if (drifted && i % 2 === 0)
        container.image = 'registry.example.com/cart:1.4.3';
      if (drifted && i % 2 === 1) container.env[0].value = 'debug';
      return { desired, live, manifest: desired };
    });
  for (const [label, drifted, texts] of [
    ['diff throughput, unchanged (Deployments, pure compare)', false, false],
    ['diff throughput, drifted (Deployments, pure compare)', true, false],
    ['  drifted, with the diff texts a refresh stores', true, true],
  ] as const) {
    const pairs = pairsOf(drifted);
    let compared = 0;
    let outOfSync = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < 3_000) {
      for (const pair of pairs) {
        const comparison = compareResource(pair);
        if (comparison.status === 'OutOfSync') outOfSync++;
        // The texts are rendered when read (storedResources reads them).
        if (texts && !(comparison.diff.desiredText && comparison.diff.liveText))
          throw new Error('no diff text for a drifted resource');
      }
      compared += pairs.length;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    line(label, `${Math.round((compared / elapsed) * 1000)} resources/s`);
    if (outOfSync !== (drifted ? compared : 0)) {
      throw new Error('unexpected diff outcome');
    }
  }
}

// ---- the cluster part --------------------------------------------------------

function appFiles(version: number, namespace: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < APP_RESOURCES; i++) {
    const name = `web-${i}`;
    const kind = ['ConfigMap', 'Service', 'Deployment'][i % 3];
    const meta = `metadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels: { version: "${version}" }\n`;
    files[`app/${name}.yaml`] =
      kind === 'ConfigMap'
        ? `apiVersion: v1\nkind: ConfigMap\n${meta}data:\n  version: "${version}"\n  color: blue\n`
        : kind === 'Service'
        ? `apiVersion: v1\nkind: Service\n${meta}spec:\n  selector: { app: ${name} }\n  ports: [{ port: 80, targetPort: 8080 }]\n`
        : `apiVersion: apps/v1\nkind: Deployment\n${meta}spec:\n  replicas: 1\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers: [{ name: web, image: "nginx:1.${version}" }]\n`;
  }
  return files;
}

const logger: LoggerService = {
  error: (message, meta) => console.error(`error: ${message}`, meta ?? ''),
  warn: (message, meta) => console.error(`warn: ${message}`, meta ?? ''),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

async function clusterFigures() {
  const cluster = await startCluster({
    log: m => console.log(`  [cluster] ${m}`),
  });
  const git = await startGitServer();
  const cacheDir = await mkdtemp(join(tmpdir(), 'gitops-bench-engine-'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const database = {
    getClient: async () => knex,
  } as unknown as DatabaseService;
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath);
  const client = ClusterClient.fromKubeConfig(kc);
  const namespace = 'bench';
  await client.apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });

  const repo = await createTestRepo(git, 'bench');
  const repository = createRepositoryService({
    mirrors: createGitMirrors({ cacheDir, timeoutMs: 60_000, allowHttp: true }),
  });
  const app: ApplicationDefinition = {
    name: 'bench',
    origin: 'config',
    entityRefs: [],
    source: { repoURL: repo.url, path: 'app', targetRevision: 'HEAD' },
    destination: { cluster: 'bench', namespace },
    syncPolicy: {
      automated: { prune: true, selfHeal: true, allowEmpty: false },
    },
  };
  const clientFor = () => client;
  // Built as plugin.ts builds it; not started: the bench calls refresh()
  // itself, as a webhook or the refresh button would, and the watch does the
  // rest.
  const controller = await createGitopsController({
    logger,
    scheduler: undefined as never,
    auth: { getOwnServiceCredentials: async () => ({}) } as never,
    database,
    applications: {
      readDefinitions: async () => ({ applications: [app], problems: [] }),
    },
    repository,
    clusters: new Map([['bench', () => kc]]),
    clientFor,
    settings: {
      enabled: true,
      watch: true,
      interval: { hours: 1 },
      concurrency: 1,
    },
  });
  const { reconciler, statuses, operations } = controller;
  const cache = controller.cacheFor!('bench');

  async function until(
    what: string,
    check: () => Promise<boolean>,
    timeoutMs = 120_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}`);
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  }
  const settled = async (revision: string) => {
    const status = (await statuses.readStatuses([app.name])).get(app.name);
    const [last] = (
      await operations.listOperations(app.name, { offset: 0, limit: 1 })
    ).items;
    return (
      status?.revision === revision &&
      status.sync === 'Synced' &&
      status.health === 'Healthy' &&
      last?.phase !== 'Running'
    );
  };

  try {
    await cache.waitForSync();
    console.log(
      `Cluster figures: a ${APP_RESOURCES}-resource application (ConfigMaps, Services, Deployments)`,
    );

    // Commit to Synced/Healthy: the new revision is noticed by one refresh
    // (the poll interval, a webhook or the refresh button decide when).
    for (const [label, version] of [
      ['commit to Synced/Healthy, first sync (creates everything)', 1],
      ['commit to Synced/Healthy, every resource changed', 2],
    ] as const) {
      const start = Date.now();
      const sha = await repo.commit(appFiles(version, namespace));
      await reconciler.refresh(app);
      await until(label, () => settled(sha)).catch(async error => {
        const status = (await statuses.readStatuses([app.name])).get(app.name);
        const ops = await operations.listOperations(app.name, {
          offset: 0,
          limit: 3,
        });
        console.error(JSON.stringify({ status, ops: ops.items }, null, 1));
        throw error;
      });
      line(label, ms(Date.now() - start));
    }

    // Live edit to repaired: a merge patch by someone else, then the watch
    // event, the refresh, selfHeal's sync, and the repaired object.
    const request = createKubeRequester(kc);
    const openWatch = createWatchOpener(kc);
    const sha = (await statuses.readStatuses([app.name])).get(app.name)!
      .revision!;
    const repairs: number[] = [];
    const started: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      // Every third resource is a ConfigMap.
      const name = `web-${(i * 3) % (APP_RESOURCES - (APP_RESOURCES % 3))}`;
      let repaired: () => void = () => {};
      const done = new Promise<void>(resolve => (repaired = resolve));
      const path = `/api/v1/namespaces/${namespace}/configmaps/${name}`;
      const edited = await request<KubeObject>({
        method: 'PATCH',
        path,
        contentType: 'application/merge-patch+json',
        body: { data: { color: `red-${i}` } },
      });
      const start = Date.now();
      const stream = await openWatch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        {
          fieldSelector: `metadata.name=${name}`,
          resourceVersion: edited.metadata.resourceVersion as string,
        },
        event => {
          if ((event.object.data as { color?: string })?.color === 'blue')
            repaired();
        },
      );
      await done;
      repairs.push(Date.now() - start);
      const [healing] = (
        await operations.listOperations(app.name, { offset: 0, limit: 1 })
      ).items;
      started.push(Date.parse(healing.startedAt) - start);
      stream.close();
      await until('the repair to settle', () => settled(sha));
    }
    line(
      `live edit to repaired (selfHeal; ${EDITS} edits)`,
      `median ${ms(median(repairs))}, min ${ms(Math.min(...repairs))}, max ${ms(
        Math.max(...repairs),
      )}`,
    );
    line(
      '  of which: edit to the selfHeal sync started',
      `median ${ms(median(started))}, min ${ms(Math.min(...started))}, max ${ms(
        Math.max(...started),
      )}`,
    );

    // Memory the cache holds per 1,000 managed resources: tracked objects
    // as the server returns them (status, managedFields and all).
    const gc = (global as { gc?: () => void }).gc;
    if (!gc)
      throw new Error('run with node --expose-gc (yarn bench:engine does)');
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    const heldBefore = cache.size();
    const objects: KubeObject[] = [];
    for (let i = 0; i < MEMORY_RESOURCES; i++) {
      const name = `held-${i}`;
      const meta = { name, namespace, labels: { app: name } };
      const manifest: Manifest =
        i % 2 === 0
          ? ({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: meta,
              data: { color: 'blue', index: String(i) },
            } as Manifest)
          : i % 4 === 1
          ? ({
              apiVersion: 'v1',
              kind: 'Service',
              metadata: meta,
              spec: { selector: { app: name }, ports: [{ port: 80 }] },
            } as Manifest)
          : ({
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: meta,
              spec: {
                replicas: 0,
                selector: { matchLabels: { app: name } },
                template: {
                  metadata: { labels: { app: name } },
                  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
                },
              },
            } as Manifest);
      objects.push(stamp(manifest, 'bench-memory') as KubeObject);
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < objects.length) await client.apply(objects[next++]);
      }),
    );
    objects.length = 0;
    await until(
      'the cache to hold them',
      async () => cache.size() >= heldBefore + MEMORY_RESOURCES,
    );
    const after = heap();
    const perThousand = ((after - before) / MEMORY_RESOURCES) * 1000;
    const held = cache.trackedBy('bench-memory')!.objects;
    const jsonBytes = held.reduce((n, o) => n + JSON.stringify(o).length, 0);
    line(
      'watch cache memory per 1,000 managed resources (heap)',
      `${(perThousand / 1024 / 1024).toFixed(1)} MB (objects average ${(
        jsonBytes /
        held.length /
        1024
      ).toFixed(1)} KB as JSON)`,
    );
    // The same objects in a store of their own: the cache's data alone,
    // without the rest of the process moving under the measurement.
    const copies = held.map(o => JSON.stringify(o));
    const bare = heap();
    const store = new LiveStore();
    const byKind = new Map<string, KubeObject[]>();
    for (const text of copies) {
      const obj = JSON.parse(text) as KubeObject;
      const kindId = kindIdOf(obj.apiVersion, obj.kind);
      byKind.set(kindId, [...(byKind.get(kindId) ?? []), obj]);
    }
    for (const [kindId, items] of byKind) store.replace(kindId, items, '1');
    byKind.clear();
    const stored = heap() - bare;
    line(
      '  the store alone, same objects',
      `${(((stored / store.size()) * 1000) / 1024 / 1024).toFixed(1)} MB`,
    );
    line('kinds watched', String(cache.watchedKinds().length));
  } finally {
    await controller.stop();
    await knex.destroy();
    await git.close();
    await rm(cacheDir, { recursive: true, force: true });
    await cluster.stop();
  }
}

async function main() {
  console.log('Engine figures');
  diffThroughput();
  // `yarn bench:engine --pure`: the diff figures alone, no cluster (profiling).
  if (!process.argv.includes('--pure')) await clusterFigures();
  line(
    'peak memory (max RSS of this process)',
    `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
