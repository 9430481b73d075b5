import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { createDiscovery } from '../cluster/discovery';
import { createKubeRequester } from '../cluster/kubeRequest';
import { createWatchOpener } from '../cluster/kubeWatch';
import {
  ClusterLiveCache,
  createClusterLiveCache,
} from '../cluster/liveCache/ClusterLiveCache';
import { Manifest, stamp } from '../engine';
import { createGitMirrors, createRepositoryService } from '../repository';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { TestRepo, createTestRepo } from '../repository/__testUtils__/testRepo';
import { compareApplication } from './compareApplication';
import {
  LiveState,
  cachedLiveState,
  compareLive,
  directLiveState,
} from './liveState';

jest.setTimeout(120_000);

describe('compareLive', () => {
  const ref = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'a',
    namespace: 'n',
  };
  const object = (color: string) =>
    ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'n' },
      data: { color },
    } as KubeObject);
  // Synced when the object is blue; a red one also notes a condition.
  const compare = async (
    obj: KubeObject | undefined,
    conditions: { type: string; message: string }[],
  ) => {
    const color = (obj?.data as { color?: string } | undefined)?.color;
    if (color !== 'blue') {
      conditions.push({ type: 'Warning', message: `saw ${color}` });
    }
    return { status: color === 'blue' ? 'Synced' : 'OutOfSync', color };
  };
  const liveState = (cached: KubeObject | undefined, fresh: KubeObject) => {
    const reads: string[] = [];
    const live: LiveState = {
      get: async () => ({ object: cached, cached: true }),
      read: async () => {
        reads.push('read');
        return fresh;
      },
      extraneous: async () => [],
      schemaEpoch: () => undefined,
    };
    return { live, reads };
  };

  it('confirms a cached difference with a direct read, keeping only its conditions', async () => {
    const { live, reads } = liveState(object('red'), object('blue'));
    const result = await compareLive(live, ref, compare);
    expect(reads).toEqual(['read']);
    expect(result.comparison).toEqual({ status: 'Synced', color: 'blue' });
    expect(result.conditions).toEqual([]);
    expect(result.object).toEqual(object('blue'));
  });

  it('confirms an object missing from the cache', async () => {
    const { live } = liveState(undefined, object('blue'));
    expect((await compareLive(live, ref, compare)).comparison.status).toBe(
      'Synced',
    );
  });

  it('reports drift the direct read confirms', async () => {
    const { live } = liveState(object('red'), object('green'));
    const result = await compareLive(live, ref, compare);
    expect(result.comparison).toEqual({ status: 'OutOfSync', color: 'green' });
    expect(result.conditions).toEqual([
      { type: 'Warning', message: 'saw green' },
    ]);
  });

  it('costs no read when the cache says Synced, or when it was a direct read already', async () => {
    const synced = liveState(object('blue'), object('red'));
    await compareLive(synced.live, ref, compare);
    expect(synced.reads).toEqual([]);

    const reads: string[] = [];
    const direct: LiveState = {
      get: async () => ({ object: object('red'), cached: false }),
      read: async () => {
        reads.push('read');
        return object('blue');
      },
      extraneous: async () => [],
      schemaEpoch: () => undefined,
    };
    expect((await compareLive(direct, ref, compare)).comparison.status).toBe(
      'OutOfSync',
    );
    expect(reads).toEqual([]);
  });
});

describe('live state for compare, on the test cluster', () => {
  const kc = testKubeConfig();
  const cluster = ClusterClient.fromKubeConfig(kc);
  let server: TestGitServer;
  let repo: TestRepo;
  let cacheDir: string;
  let cache: ClusterLiveCache;
  let first: string;
  let second: string;
  let app: ApplicationDefinition;

  beforeAll(async () => {
    first = await createTestNamespace(cluster, 'live-a');
    second = await createTestNamespace(cluster, 'live-b');
    const request = createKubeRequester(kc);
    cache = createClusterLiveCache({
      request,
      discovery: createDiscovery(request),
      openWatch: createWatchOpener(kc),
    });
    cache.start();
    await cache.waitForSync();
    server = await startGitServer();
    repo = await createTestRepo(server, 'live');
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-live-'));
    app = {
      name: `live-${Math.random().toString(36).slice(2, 8)}`,
      origin: 'config',
      entityRefs: [],
      source: { repoURL: repo.url, path: 'deploy', targetRevision: 'HEAD' },
      destination: { cluster: 'in-cluster', namespace: first },
    };
  });

  afterAll(async () => {
    await cache.stop();
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    for (const name of [first, second]) {
      await cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name });
    }
    await cluster.delete({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      name: `${app.name}-reader`,
    });
  });

  const repository = () =>
    createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
  const compare = (live: LiveState) =>
    compareApplication({ app, cluster, live, repository: repository() });
  const configMap = (namespace: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${namespace}\ndata:\n  color: blue\n`;
  const clusterRole = () =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${app.name}-reader\nrules: []\n`;

  it('finds what left Git wherever it is: a cluster-scoped kind Git no longer has, a namespace it no longer uses', async () => {
    await repo.commit({
      'deploy/settings.yaml': configMap(first),
      'deploy/role.yaml': clusterRole(),
    });
    const live = cachedLiveState(cache, cluster);
    const initial = await compare(live);
    for (const manifest of initial.desired) {
      await cluster.apply(manifest as KubeObject);
    }
    const synced = await compare(live);
    expect(synced.sync).toBe('Synced');

    // Git moves the ConfigMap to another namespace and drops the ClusterRole.
    await repo.commit({
      'deploy/settings.yaml': configMap(second),
      'deploy/role.yaml': null,
    });
    const moved = await compare(live);
    const extraneous = (result: typeof moved) =>
      result.resources
        .filter(r => r.extraneous)
        .map(r => `${r.kind}/${r.namespace ?? ''}/${r.name}`)
        .sort();
    expect(extraneous(moved)).toEqual([
      `ClusterRole//${app.name}-reader`,
      `ConfigMap/${first}/settings`,
    ]);
    expect(moved.sync).toBe('OutOfSync');

    // Without the cache, the cluster-scoped object is found too; the
    // namespace Git no longer names is not listed.
    const direct = await compare(directLiveState(cluster));
    expect(extraneous(direct)).toEqual([`ClusterRole//${app.name}-reader`]);
  });
});

describe('prune lookups with a namespace-scoped service account', () => {
  const admin = ClusterClient.fromKubeConfig(testKubeConfig());
  let namespace: string;

  afterAll(async () => {
    await admin.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  /** A kubeconfig for a service account that may only read ConfigMaps in `namespace`. */
  async function restrictedKubeConfig(): Promise<KubeConfig> {
    const rbac = 'rbac.authorization.k8s.io/v1';
    const objects: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'reader', namespace },
      },
      {
        apiVersion: rbac,
        kind: 'Role',
        metadata: { name: 'reader', namespace },
        rules: [
          {
            apiGroups: [''],
            resources: ['configmaps'],
            verbs: ['get', 'list', 'watch'],
          },
        ],
      },
      {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: { name: 'reader', namespace },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'reader',
        },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace }],
      },
    ];
    for (const obj of objects) await admin.apply(obj);
    const request = createKubeRequester(testKubeConfig());
    const answer = await request<{ status: { token: string } }>({
      method: 'POST',
      path: `/api/v1/namespaces/${namespace}/serviceaccounts/reader/token`,
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: 600 },
      },
    });
    const server = testKubeConfig().getCurrentCluster()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ ...server, name: 'test' }],
      users: [{ name: 'reader', token: answer.status.token }],
      contexts: [{ name: 'reader', cluster: 'test', user: 'reader' }],
      currentContext: 'reader',
    });
    return kc;
  }

  it('skips the kinds it may not list instead of failing the comparison', async () => {
    namespace = await createTestNamespace(admin, 'live-rbac');
    const appName = `rbac-${Math.random().toString(36).slice(2, 8)}`;
    const configMap = (name: string) =>
      stamp(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace },
        } as Manifest,
        appName,
      );
    await admin.apply(configMap('left-behind') as KubeObject);
    const restricted = ClusterClient.fromKubeConfig(
      await restrictedKubeConfig(),
    );

    const found = await directLiveState(restricted).extraneous(appName, [
      configMap('wanted'),
    ]);
    expect(found.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/left-behind',
    ]);
  });

  it('skips a kind whose CRD was deleted after discovery listed it', async () => {
    namespace ??= await createTestNamespace(admin, 'live-rbac');
    const client = ClusterClient.fromKubeConfig(testKubeConfig());
    const group = `gone-${Math.random().toString(36).slice(2, 8)}.example.com`;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object' } },
          },
        ],
      },
    } as KubeObject;
    await admin.apply(crd);
    const served = async () =>
      (
        await createDiscovery(
          createKubeRequester(testKubeConfig()),
        ).listableKinds()
      ).some(k => k.apiVersion === `${group}/v1`);
    while (!(await served())) await new Promise(r => setTimeout(r, 200));
    const appName = `gone-${Math.random().toString(36).slice(2, 8)}`;
    const desired = [
      stamp(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'wanted', namespace },
        } as Manifest,
        appName,
      ),
    ];
    // Discovery lists the kind, then the CRD goes away before the lists run
    // (another team deleting it, say): the race is pinned by replaying the
    // discovery answer from before the deletion.
    const stale = await client.discovery.listableKinds();
    expect(stale.some(k => k.apiVersion === `${group}/v1`)).toBe(true);
    await admin.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: `gadgets.${group}`,
    });
    while (await served()) await new Promise(r => setTimeout(r, 200));
    jest.spyOn(client.discovery, 'listableKinds').mockResolvedValue(stale);

    await expect(
      directLiveState(client).extraneous(appName, desired),
    ).resolves.toEqual([]);
  });
});
