import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import { testKubeConfig } from '../cluster/__testUtils__/testCluster';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { ResourceStore } from '../database/ResourceStore';
import { migrateUp } from '../database/migrations';
import { createReconciler } from '../scheduling/Reconciler';
import { CapturingLogger } from '../__testUtils__/reconcileLoop';
import { countingClient, useLiveCache } from '../__testUtils__/countedRequests';
import { useTestApplication } from '../__testUtils__/testApplication';
import { cachedLiveState } from './liveState';
import { compareApplication } from './compareApplication';
import { createComparisonMemo } from './comparisonMemo';

jest.setTimeout(120_000);

// As the Kubernetes documentation writes them: a ConfigMap of settings and
// an Opaque Secret given as stringData.
const configMap = (lives = '3') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: game-config
data:
  player_initial_lives: "${lives}"
  ui_properties_file_name: user-interface.properties
`;
const SECRET_VALUE = 'memo-s3cr3t-value';
const secret = `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
stringData:
  username: admin
  password: ${SECRET_VALUE}
`;

describe('a refresh reuses the comparison of what did not change', () => {
  const kc = testKubeConfig();
  const ctx = useTestApplication('reuse');
  const live = useLiveCache(kc);
  const plain = ClusterClient.fromKubeConfig(kc);

  /** The reconciler as the plugin builds it, on a client that counts. */
  async function setUp(app: ApplicationDefinition) {
    await migrateUp(ctx.knex);
    const counted = countingClient(kc);
    const memo = createComparisonMemo();
    const resources = new ResourceStore(ctx.knex);
    const reconciler = createReconciler({
      logger: new CapturingLogger(),
      scheduler: mockServices.scheduler.mock(),
      auth: mockServices.auth(),
      applications: {
        readDefinitions: async () => ({ applications: [app], problems: [] }),
      } as never,
      statuses: new ApplicationStatusStore(ctx.knex),
      resources,
      repository: ctx.repository,
      clientFor: () => counted.cluster,
      liveFor: () => cachedLiveState(live.cache, counted.cluster),
      interval: { minutes: 3 },
      concurrency: 1,
      comparisons: memo,
    });
    return { counted, memo, reconciler, resources };
  }

  /** Applies Git's objects as a sync would, and waits for the watch to see them. */
  async function deploy(app: ApplicationDefinition) {
    const { desired } = await compareApplication({
      app,
      cluster: plain,
      repository: ctx.repository,
    });
    for (const manifest of desired) {
      await waitForCache(await plain.apply(manifest as KubeObject));
    }
  }

  async function waitForCache(written: KubeObject) {
    const ref = {
      apiVersion: written.apiVersion,
      kind: written.kind,
      namespace: written.metadata.namespace,
      name: written.metadata.name!,
    };
    const deadline = Date.now() + 30_000;
    while (
      live.cache.get(ref)?.metadata.resourceVersion !==
      written.metadata.resourceVersion
    ) {
      if (Date.now() > deadline) throw new Error('the watch did not see it');
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }

  /** A synced application whose first refresh came and went. */
  async function steady(
    files: Record<string, string> = {
      'deploy/config.yaml': configMap(),
      'deploy/secret.yaml': secret,
    },
  ) {
    await ctx.repo.commit(files);
    const app = ctx.newApp('reuse');
    const setup = await setUp(app);
    await deploy(app);
    expect((await setup.reconciler.refresh(app)).sync).toBe('Synced');
    expect(setup.counted.dryRuns()).toHaveLength(Object.keys(files).length);
    setup.counted.requests.length = 0;
    return { app, ...setup };
  }

  it('asks the API server nothing when nothing changed', async () => {
    const { app, reconciler, counted } = await steady();
    const status = await reconciler.refresh(app);
    expect(status.sync).toBe('Synced');
    expect(status.health).toBe('Healthy');
    expect(counted.requests).toEqual([]);
  });

  it('compares again what a live edit changed, and only that', async () => {
    const { app, reconciler, counted } = await steady();
    // kubectl patch configmap game-config --type=merge -p '{"data":{...}}'
    const edited = await plain.mergePatch({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'game-config', namespace: ctx.namespace },
      data: { player_initial_lives: '99' },
    });
    await waitForCache(edited);
    expect((await reconciler.refresh(app)).sync).toBe('OutOfSync');
    expect(counted.dryRuns()).toEqual(['ConfigMap/game-config']);
  });

  it('sees a live edit of a Secret, and keeps its values masked when reused', async () => {
    const { app, reconciler, counted, resources } = await steady();
    const edited = await plain.mergePatch({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db-credentials', namespace: ctx.namespace },
      stringData: { password: 'changed-by-hand' },
    });
    await waitForCache(edited);
    expect((await reconciler.refresh(app)).sync).toBe('OutOfSync');
    const first = JSON.stringify(await resources.listDiffs(app.name));
    counted.requests.length = 0;
    // Reused this time: no dry run, and the same masked diff.
    expect((await reconciler.refresh(app)).sync).toBe('OutOfSync');
    expect(counted.dryRuns()).toEqual([]);
    const again = JSON.stringify(await resources.listDiffs(app.name));
    expect(again).toEqual(first);
    expect(again).toContain('db-credentials');
    for (const clear of [SECRET_VALUE, 'changed-by-hand']) {
      for (const text of [clear, Buffer.from(clear).toString('base64')]) {
        expect(again).not.toContain(text);
      }
    }
  });

  it('compares again what a Git change changed, and only that', async () => {
    const { app, reconciler, counted } = await steady();
    await ctx.repo.commit({ 'deploy/config.yaml': configMap('5') });
    expect((await reconciler.refresh(app)).sync).toBe('OutOfSync');
    expect(counted.dryRuns()).toEqual(['ConfigMap/game-config']);
  });

  it('compares everything again on a hard refresh', async () => {
    const { app, reconciler, counted } = await steady();
    expect((await reconciler.refresh(app, { hard: true })).sync).toBe('Synced');
    expect(counted.dryRuns().sort()).toEqual([
      'ConfigMap/game-config',
      'Secret/db-credentials',
    ]);
  });

  it('compares everything again when ignoreDifferences change', async () => {
    const { app, reconciler, counted } = await steady();
    const ignoring: ApplicationDefinition = {
      ...app,
      ignoreDifferences: [{ kind: 'ConfigMap', jsonPointers: ['/data'] }],
    };
    await reconciler.refresh(ignoring);
    expect(counted.dryRuns().sort()).toEqual([
      'ConfigMap/game-config',
      'Secret/db-credentials',
    ]);
  });

  it('forgets resources that left Git', async () => {
    const { app, reconciler, memo } = await steady();
    expect(memo.size()).toBe(2);
    await ctx.repo.commit({ 'deploy/secret.yaml': null });
    await reconciler.refresh(app);
    expect(memo.size()).toBe(1);
  });

  it('compares a custom resource again when its CRD changed, and nothing else', async () => {
    const group = `reuse-${Math.random().toString(36).slice(2, 8)}.example.com`;
    const crd = (schema: Record<string, unknown>) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', properties: schema },
                },
              },
            },
          },
        ],
      },
    });
    await plain.apply(crd({ size: { type: 'integer' } }));
    try {
      await until('the CRD to be served', async () =>
        (await plain.scopeOf(`${group}/v1`, 'Widget').catch(() => undefined))
          ? true
          : false,
      );
      const { app, reconciler, counted } = await steady({
        'deploy/config.yaml': configMap(),
        'deploy/widget.yaml': `apiVersion: ${group}/v1\nkind: Widget\nmetadata:\n  name: small\nspec:\n  size: 1\n`,
      });
      const before = live.cache.schemaEpoch(`${group}/v1`, 'Widget');
      // A new field with a default: what the server stores for the same
      // manifest changes though neither Git nor the object did.
      await plain.apply(
        crd({
          size: { type: 'integer' },
          color: { type: 'string', default: 'blue' },
        }),
      );
      await until(
        'the watch to see the CRD change',
        async () => live.cache.schemaEpoch(`${group}/v1`, 'Widget') !== before,
      );
      await reconciler.refresh(app);
      expect(counted.dryRuns()).toEqual(['Widget/small']);
    } finally {
      await plain.delete({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: `widgets.${group}`,
      });
    }
  });
});

async function until(what: string, check: () => Promise<boolean>) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}
