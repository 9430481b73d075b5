import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  ClusterClient,
  KubeObject,
  ObjectRef,
  PropagationPolicy,
} from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { createDiscovery } from '../cluster/discovery';
import { KubeApiError, createKubeRequester } from '../cluster/kubeRequest';
import { Manifest, resourceHealth } from '../engine';
import { SyncOperationState, SyncTask } from '../engine/sync';
import {
  RepositoryService,
  createGitMirrors,
  createRepositoryService,
} from '../repository';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { TestRepo, createTestRepo } from '../repository/__testUtils__/testRepo';
import { compareApplication } from '../compare/compareApplication';
import { SyncApplicationOptions, syncApplication } from './syncApplication';

jest.setTimeout(120_000);

/** kwok fails the containers of a Pod with this label (test/cluster/cluster.js). */
const FAIL_POD_LABEL = 'pod-container-running-failed.stage.kwok.x-k8s.io';
const HOOK = 'argocd.argoproj.io/hook';
const WAVE = 'argocd.argoproj.io/sync-wave';

type Annotations = Record<string, string>;

const yaml = (obj: unknown) => `${JSON.stringify(obj, null, 2)}\n`;

const configMap = (
  name: string,
  data: Record<string, string> = { color: 'blue' },
  annotations: Annotations = {},
) =>
  yaml({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, annotations },
    data,
  });

const deployment = (name: string, annotations: Annotations = {}) =>
  yaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, annotations },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
      },
    },
  });

const job = (
  name: string,
  annotations: Annotations,
  options: { fail?: boolean; suspend?: boolean } = {},
) =>
  yaml({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, annotations },
    spec: {
      backoffLimit: 0,
      ...(options.suspend ? { suspend: true } : {}),
      template: {
        metadata: {
          labels: options.fail ? { [FAIL_POD_LABEL]: 'true' } : {},
        },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'busybox:1.36' }],
        },
      },
    },
  });

type Call = {
  verb: 'apply' | 'get' | 'delete';
  kind: string;
  name: string;
  /** When the request was sent (apply, delete) or answered (get). */
  at: number;
  dryRun?: boolean;
  present?: boolean;
  health?: string;
};

/** The real client, recording what the executor asks of the cluster. */
class RecordingCluster extends ClusterClient {
  readonly calls: Call[] = [];
  /** Makes an apply fail as if the server refused it, however written. */
  refuse?: (obj: KubeObject, dryRun: boolean) => KubeApiError | undefined;

  async apply(
    object: KubeObject,
    options: { dryRun?: boolean; force?: boolean } = {},
  ): Promise<KubeObject> {
    const dryRun = options.dryRun ?? false;
    this.calls.push({
      verb: 'apply',
      kind: object.kind,
      name: object.metadata.name ?? '',
      at: Date.now(),
      dryRun,
    });
    const refusal = this.refuse?.(object, dryRun);
    if (refusal) throw refusal;
    return super.apply(object, options);
  }

  async mergePatch(
    object: KubeObject,
    options: { dryRun?: boolean } = {},
  ): Promise<KubeObject> {
    const refusal = this.refuse?.(object, options.dryRun ?? false);
    if (refusal) throw refusal;
    return super.mergePatch(object, options);
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const obj = await super.get(ref);
    this.calls.push({
      verb: 'get',
      kind: ref.kind,
      name: ref.name,
      at: Date.now(),
      present: obj !== undefined,
      health: obj && resourceHealth(obj as Manifest)?.status,
    });
    return obj;
  }

  async delete(
    ref: ObjectRef,
    options: { propagationPolicy?: PropagationPolicy; dryRun?: boolean } = {},
  ): Promise<boolean> {
    this.calls.push({
      verb: 'delete',
      kind: ref.kind,
      name: ref.name,
      at: Date.now(),
    });
    return super.delete(ref, options);
  }

  /** Real (not dry-run) applies, in the order they were sent. */
  applied(): string[] {
    return this.calls
      .filter(c => c.verb === 'apply' && !c.dryRun)
      .map(c => `${c.kind}/${c.name}`);
  }

  appliedAt(kind: string, name: string): number {
    const call = this.calls.find(
      c =>
        c.verb === 'apply' && !c.dryRun && c.kind === kind && c.name === name,
    );
    if (!call) throw new Error(`${kind}/${name} was never applied`);
    return call.at;
  }

  /** When the executor first saw the object Healthy; Infinity if never. */
  firstHealthyAt(kind: string, name: string): number {
    return (
      this.calls.find(
        c =>
          c.verb === 'get' &&
          c.kind === kind &&
          c.name === name &&
          c.health === 'Healthy',
      )?.at ?? Infinity
    );
  }
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

const taskOf = (state: SyncOperationState, id: string): SyncTask => {
  const task = state.tasks.find(t => t.id === id);
  if (!task) {
    throw new Error(
      `no task ${id} in ${state.tasks.map(t => t.id).join(', ')}`,
    );
  }
  return task;
};

describe('syncApplication on the test cluster', () => {
  let server: TestGitServer;
  let repo: TestRepo;
  let cacheDir: string;
  let repository: RepositoryService;
  let cluster: ClusterClient;
  let recording: RecordingCluster;
  let namespace: string;
  let app: ApplicationDefinition;

  const compare = () => compareApplication({ app, cluster, repository });
  const key = (group: string, kind: string, name: string) =>
    `${group}/${kind}/${namespace}/${name}`;
  const live = (apiVersion: string, kind: string, name: string) =>
    cluster.get({ apiVersion, kind, namespace, name });

  async function sync(
    options: SyncApplicationOptions = {},
    extra: {
      onState?: (state: SyncOperationState) => Promise<void>;
      signal?: { terminateRequested(): boolean };
    } = {},
  ) {
    const comparison = await compare();
    recording.calls.length = 0;
    return syncApplication({
      app,
      comparison,
      cluster: recording,
      options,
      initiatedBy: 'user:default/tester',
      pollIntervalMs: 200,
      ...extra,
    });
  }

  beforeAll(() => {
    const kc = testKubeConfig();
    cluster = ClusterClient.fromKubeConfig(kc);
    const request = createKubeRequester(kc);
    recording = new RecordingCluster(request, createDiscovery(request));
  });

  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'sync');
    server = await startGitServer();
    repo = await createTestRepo(server, 'shop');
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-sync-'));
    repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
    app = {
      name: `shop-${Math.random().toString(36).slice(2, 8)}`,
      origin: 'config',
      entityRefs: [],
      source: { repoURL: repo.url, path: 'deploy', targetRevision: 'HEAD' },
      destination: { cluster: 'in-cluster', namespace },
    };
    recording.refuse = undefined;
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    await cluster.delete(
      { apiVersion: 'v1', kind: 'Namespace', name: namespace },
      { propagationPolicy: 'Background' },
    );
  });

  it('(a) syncs a plain application, which then compares Synced and Healthy', async () => {
    const sha = await repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/web.yaml': deployment('web'),
    });
    expect((await compare()).sync).toBe('OutOfSync');

    const states: SyncOperationState[] = [];
    const state = await sync({}, { onState: async s => void states.push(s) });

    expect(state.phase).toBe('Succeeded');
    expect(state.revision).toBe(sha);
    expect(state.initiatedBy).toBe('user:default/tester');
    expect(
      state.tasks.map(t => [t.kind, t.name, t.status, t.progress]),
    ).toEqual([
      ['ConfigMap', 'settings', 'Synced', 'done'],
      ['Deployment', 'web', 'Synced', 'done'],
    ]);
    expect(states.length).toBeGreaterThan(1);
    expect(states[0].phase).toBe('Running');
    expect(states[states.length - 1]).toEqual(state);

    const after = await eventually(compare, c => c.health === 'Healthy');
    expect(after.sync).toBe('Synced');
    expect(after.health).toBe('Healthy');
  });

  it('(b) applies waves in order, each after the previous one is healthy', async () => {
    await repo.commit({
      'deploy/db.yaml': deployment('db', { [WAVE]: '-1' }),
      'deploy/api.yaml': deployment('api', { [WAVE]: '0' }),
      'deploy/after.yaml': configMap('after', { x: 'y' }, { [WAVE]: '1' }),
    });

    const state = await sync();

    expect(state.phase).toBe('Succeeded');
    expect(recording.applied()).toEqual([
      'Deployment/db',
      'Deployment/api',
      'ConfigMap/after',
    ]);
    const dbApplied = recording.appliedAt('Deployment', 'db');
    const dbHealthy = recording.firstHealthyAt('Deployment', 'db');
    const apiApplied = recording.appliedAt('Deployment', 'api');
    const apiHealthy = recording.firstHealthyAt('Deployment', 'api');
    const afterApplied = recording.appliedAt('ConfigMap', 'after');
    expect(dbApplied).toBeLessThan(dbHealthy);
    expect(dbHealthy).toBeLessThanOrEqual(apiApplied);
    expect(apiApplied).toBeLessThan(apiHealthy);
    expect(apiHealthy).toBeLessThanOrEqual(afterApplied);
    expect(
      state.tasks.map(t => [t.name, t.wave, t.health ?? null, t.status]),
    ).toEqual([
      ['db', -1, 'Healthy', 'Synced'],
      ['api', 0, 'Healthy', 'Synced'],
      ['after', 1, null, 'Synced'],
    ]);
  });

  it('(c) runs a PreSync hook before the resources and a PostSync hook after they are healthy', async () => {
    await repo.commit({
      'deploy/pre.yaml': job('pre', { [HOOK]: 'PreSync' }),
      'deploy/web.yaml': deployment('web'),
      'deploy/post.yaml': job('post', { [HOOK]: 'PostSync' }),
    });

    const state = await sync();

    expect(state.phase).toBe('Succeeded');
    expect(recording.applied()).toEqual([
      'Job/pre',
      'Deployment/web',
      'Job/post',
    ]);
    expect(recording.firstHealthyAt('Job', 'pre')).toBeLessThanOrEqual(
      recording.appliedAt('Deployment', 'web'),
    );
    expect(recording.firstHealthyAt('Deployment', 'web')).toBeLessThanOrEqual(
      recording.appliedAt('Job', 'post'),
    );
    const pre = taskOf(state, `PreSync:${key('batch', 'Job', 'pre')}`);
    const post = taskOf(state, `PostSync:${key('batch', 'Job', 'post')}`);
    expect([pre.hookPhase, post.hookPhase]).toEqual(['Succeeded', 'Succeeded']);
    expect(pre.deletePolicies).toEqual(['BeforeHookCreation']);

    // BeforeHookCreation: the run stays after the sync, and the next sync
    // deletes it before creating it again.
    const firstRun = await live('batch/v1', 'Job', 'pre');
    expect(firstRun).toBeDefined();
    expect(recording.calls.some(c => c.verb === 'delete')).toBe(false);

    const again = await sync();
    expect(again.phase).toBe('Succeeded');
    const deletedAt = recording.calls.find(
      c => c.verb === 'delete' && c.name === 'pre',
    )?.at;
    expect(deletedAt).toBeLessThan(recording.appliedAt('Job', 'pre'));
    const secondRun = await live('batch/v1', 'Job', 'pre');
    expect(secondRun?.metadata.uid).toBeDefined();
    expect(secondRun?.metadata.uid).not.toBe(firstRun?.metadata.uid);
  });

  it('(d) fails on a failing PreSync hook, runs SyncFail, and applies no Sync resource', async () => {
    await repo.commit({
      'deploy/pre.yaml': job('pre', { [HOOK]: 'PreSync' }, { fail: true }),
      'deploy/settings.yaml': configMap('settings'),
      'deploy/web.yaml': deployment('web'),
      'deploy/cleanup.yaml': job('cleanup', { [HOOK]: 'SyncFail' }),
    });

    const state = await sync();

    expect(state.phase).toBe('Failed');
    expect(state.message).toContain(`Job/${namespace}/pre: hook failed`);
    const pre = taskOf(state, `PreSync:${key('batch', 'Job', 'pre')}`);
    expect(pre.hookPhase).toBe('Failed');
    const cleanup = taskOf(state, `SyncFail:${key('batch', 'Job', 'cleanup')}`);
    expect(cleanup.hookPhase).toBe('Succeeded');
    expect(recording.applied()).toEqual(['Job/pre', 'Job/cleanup']);
    expect(
      resourceHealth((await live('batch/v1', 'Job', 'cleanup')) as Manifest)
        ?.status,
    ).toBe('Healthy');
    expect(await live('v1', 'ConfigMap', 'settings')).toBeUndefined();
    expect(await live('apps/v1', 'Deployment', 'web')).toBeUndefined();
    expect(
      state.tasks
        .filter(t => t.syncPhase === 'Sync')
        .map(t => [t.name, t.status]),
    ).toEqual([
      ['settings', 'Pending'],
      ['web', 'Pending'],
    ]);
  });

  it('(e) prunes what left Git only with prune on', async () => {
    await repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/old.yaml': configMap('old'),
    });
    expect((await sync()).phase).toBe('Succeeded');
    await repo.commit({ 'deploy/old.yaml': null });
    const oldKey = key('', 'ConfigMap', 'old');

    const skipped = await sync({ prune: false });
    expect(skipped.phase).toBe('Succeeded');
    expect(taskOf(skipped, `prune:${oldKey}`)).toMatchObject({
      status: 'PruneSkipped',
      message: 'ignored (requires pruning)',
    });
    expect(recording.calls.some(c => c.verb === 'delete')).toBe(false);
    expect(await live('v1', 'ConfigMap', 'old')).toBeDefined();
    expect((await compare()).sync).toBe('OutOfSync');

    const pruned = await sync({ prune: true });
    expect(pruned.phase).toBe('Succeeded');
    expect(taskOf(pruned, `prune:${oldKey}`).status).toBe('Pruned');
    expect(await live('v1', 'ConfigMap', 'old')).toBeUndefined();
    expect(await live('v1', 'ConfigMap', 'settings')).toBeDefined();
    const after = await compare();
    expect(after.sync).toBe('Synced');
    expect(after.resources.filter(r => r.extraneous)).toEqual([]);
  });

  it('(i) applies a custom resource after its CRD from an earlier wave', async () => {
    const group = `${namespace}.example.com`;
    await repo.commit({
      'deploy/crd.yaml': yaml({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `gadgets.${group}`, annotations: { [WAVE]: '-1' } },
        spec: {
          group,
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: {
                openAPIV3Schema: {
                  type: 'object',
                  properties: {
                    spec: {
                      type: 'object',
                      properties: { size: { type: 'integer' } },
                    },
                  },
                },
              },
            },
          ],
        },
      }),
      'deploy/gadget.yaml': yaml({
        apiVersion: `${group}/v1`,
        kind: 'Gadget',
        metadata: { name: 'g1' },
        spec: { size: 3 },
      }),
    });
    try {
      const state = await sync();
      expect(state.phase).toBe('Succeeded');
      const applies = recording.calls
        .filter(c => c.verb === 'apply' && !c.dryRun)
        .map(c => c.kind);
      expect(applies.indexOf('CustomResourceDefinition')).toBeLessThan(
        applies.indexOf('Gadget'),
      );
      const gadget = await live(`${group}/v1`, 'Gadget', 'g1');
      expect((gadget?.spec as { size: number }).size).toBe(3);
      const after = await compare();
      expect(after.conditions).toEqual([]);
      expect(after.sync).toBe('Synced');
    } finally {
      await cluster.delete({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: `gadgets.${group}`,
      });
    }
  });

  it('(j) keeps Prune=false resources and prunes PruneLast ones after the rest', async () => {
    const options = 'argocd.argoproj.io/sync-options';
    await repo.commit({
      'deploy/keep.yaml': configMap('keep', {}, { [options]: 'Prune=false' }),
      'deploy/last.yaml': configMap(
        'last',
        {},
        { [options]: 'PruneLast=true' },
      ),
      'deploy/first.yaml': configMap('first'),
      'deploy/web.yaml': configMap('web'),
    });
    expect((await sync()).phase).toBe('Succeeded');
    await repo.commit({
      'deploy/keep.yaml': null,
      'deploy/last.yaml': null,
      'deploy/first.yaml': null,
    });

    const state = await sync({ prune: true });
    expect(state.phase).toBe('Succeeded');
    expect(taskOf(state, `prune:${key('', 'ConfigMap', 'keep')}`).status).toBe(
      'PruneSkipped',
    );
    expect(await live('v1', 'ConfigMap', 'keep')).toBeDefined();
    expect(await live('v1', 'ConfigMap', 'last')).toBeUndefined();
    expect(await live('v1', 'ConfigMap', 'first')).toBeUndefined();
    const deletes = recording.calls
      .filter(c => c.verb === 'delete' && !c.dryRun)
      .map(c => c.name);
    expect(deletes.indexOf('first')).toBeGreaterThanOrEqual(0);
    expect(deletes.indexOf('last')).toBeGreaterThan(deletes.indexOf('first'));
  });

  it('(f) changes nothing in a dry run', async () => {
    await repo.commit({
      'deploy/settings.yaml': configMap('settings', { color: 'blue' }),
      'deploy/old.yaml': configMap('old'),
    });
    expect((await sync()).phase).toBe('Succeeded');
    await repo.commit({
      'deploy/settings.yaml': configMap('settings', { color: 'red' }),
      'deploy/old.yaml': null,
      'deploy/web.yaml': deployment('web'),
      'deploy/pre.yaml': job('pre', { [HOOK]: 'PreSync' }),
    });

    const state = await sync({ dryRun: true, prune: true });

    expect(state.phase).toBe('Succeeded');
    expect(state.message).toContain('dry run');
    expect(
      Object.fromEntries(state.tasks.map(t => [t.name, [t.status, t.message]])),
    ).toEqual({
      pre: ['Pending', 'not run in a dry run'],
      old: ['Pruned', 'pruned (dry run)'],
      settings: ['Synced', expect.stringContaining('(dry run)')],
      web: ['Synced', expect.stringContaining('(dry run)')],
    });
    const applies = recording.calls.filter(c => c.verb === 'apply');
    expect(applies.map(c => c.name).sort()).toEqual(['settings', 'web']);
    expect(applies.every(c => c.dryRun)).toBe(true);
    expect(recording.calls.some(c => c.verb === 'delete')).toBe(false);

    expect((await live('v1', 'ConfigMap', 'settings'))?.data).toEqual({
      color: 'blue',
    });
    expect(await live('v1', 'ConfigMap', 'old')).toBeDefined();
    expect(await live('apps/v1', 'Deployment', 'web')).toBeUndefined();
    expect(await live('batch/v1', 'Job', 'pre')).toBeUndefined();
  });

  it('(g) keeps Secret values out of every state field but manifests, and out of messages', async () => {
    const password = 'hunter2-Sup3r-S3cret';
    const token = 'tok-0123456789-abcdef';
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    await repo.commit({
      'deploy/credentials.yaml': yaml({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'credentials' },
        data: { password: b64(password) },
      }),
      'deploy/token.yaml': yaml({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'token' },
        stringData: { token },
      }),
      'deploy/settings.yaml': configMap('settings'),
    });
    // A server that quotes the value it refuses, as validation errors may.
    recording.refuse = (obj, dryRun) =>
      obj.metadata.name === 'token' && !dryRun
        ? new KubeApiError(
            422,
            'Invalid',
            `Secret "token" is invalid: stringData[token]: Invalid value: "${token}": refused`,
          )
        : undefined;

    const states: SyncOperationState[] = [];
    const state = await sync(
      {},
      { onState: async s => void states.push(structuredClone(s)) },
    );

    expect(state.phase).toBe('Failed');
    const failed = taskOf(state, `Sync:${key('', 'Secret', 'token')}`);
    expect(failed.status).toBe('SyncFailed');
    expect(failed.message).toContain('Invalid value: "++++++++": refused');
    expect(
      taskOf(state, `Sync:${key('', 'Secret', 'credentials')}`),
    ).toMatchObject({ status: 'Synced' });
    const stored = await live('v1', 'Secret', 'credentials');
    expect((stored?.data as Record<string, string>).password).toBe(
      b64(password),
    );

    // The manifests do hold the values: that is what makes this check bite.
    expect(JSON.stringify(states)).toContain(b64(password));
    expect(JSON.stringify(states)).toContain(token);
    const withoutManifests = JSON.stringify(states, (field, value) =>
      field === 'manifest' ? undefined : value,
    );
    for (const secret of [password, b64(password), token, b64(token)]) {
      expect(withoutManifests).not.toContain(secret);
    }
    expect(withoutManifests).toContain('++++++++');
  });

  it('(h) terminates between steps: a running hook is deleted, nothing else runs', async () => {
    await repo.commit({
      // A suspended Job never finishes: the hook runs until terminated.
      'deploy/pre.yaml': job('pre', { [HOOK]: 'PreSync' }, { suspend: true }),
      'deploy/settings.yaml': configMap('settings'),
    });
    let hookRunning = false;
    const state = await sync(
      {},
      {
        onState: async s => {
          hookRunning ||= s.tasks.some(
            t => t.name === 'pre' && t.hookPhase === 'Running',
          );
        },
        signal: { terminateRequested: () => hookRunning },
      },
    );

    expect(state.phase).toBe('Failed');
    expect(state.message).toBe('terminated');
    expect(
      taskOf(state, `PreSync:${key('batch', 'Job', 'pre')}`),
    ).toMatchObject({ hookPhase: 'Failed', message: 'terminated' });
    expect(recording.applied()).toEqual(['Job/pre']);
    expect(
      recording.calls.filter(c => c.verb === 'delete').map(c => c.name),
    ).toEqual(['pre']);
    expect(
      await eventually(
        () => live('batch/v1', 'Job', 'pre'),
        obj => obj === undefined,
      ),
    ).toBeUndefined();
    expect(await live('v1', 'ConfigMap', 'settings')).toBeUndefined();
  });
});
