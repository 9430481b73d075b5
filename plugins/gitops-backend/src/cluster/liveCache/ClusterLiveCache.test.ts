import { execFile } from 'child_process';
import { join } from 'path';
import { promisify } from 'util';
import { Manifest, stamp } from '../../engine';
import { ClusterClient, KubeObject } from '../ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../__testUtils__/testCluster';
import { createDiscovery } from '../discovery';
import { KubeApiError, KubeRequest, createKubeRequester } from '../kubeRequest';
import { WatchOpener, createWatchOpener } from '../kubeWatch';
import { ClusterLiveCache, createClusterLiveCache } from './ClusterLiveCache';
import { InformerTiming } from './informer';

jest.setTimeout(90_000);

const kubectl = (...args: string[]) =>
  promisify(execFile)(join(process.env.GITOPS_TEST_BIN_DIR!, 'kubectl'), args, {
    env: { ...process.env, KUBECONFIG: process.env.GITOPS_TEST_KUBECONFIG },
  });

/**
 * Resolves `until(check)` as soon as `check()` holds, re-checking whenever
 * something happened (a change or a watch opened): tests wait for the event
 * itself, never for a guessed delay.
 */
function createSignal() {
  const waiters: { check: () => boolean; resolve: () => void }[] = [];
  return {
    notify() {
      for (const waiter of [...waiters]) {
        if (waiter.check()) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    },
    until(check: () => boolean): Promise<void> {
      if (check()) return Promise.resolve();
      return new Promise(resolve => waiters.push({ check, resolve }));
    },
  };
}

const CONFIG_MAPS_PATH = '/api/v1/configmaps';

describe('the live cache on the test cluster', () => {
  const kc = testKubeConfig();
  const cluster = ClusterClient.fromKubeConfig(kc);
  let namespace: string;
  let cache: ClusterLiveCache | undefined;
  const appName = `live-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    namespace = await createTestNamespace(cluster, 'live-cache');
  });

  afterEach(async () => {
    await cache?.stop();
    cache = undefined;
  });

  afterAll(async () => {
    await cluster.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  /**
   * A cache with its requests and watches counted per path; `wrapWatch` may
   * tamper with a watch of the ConfigMaps, as a flaky network or server would.
   */
  function startCache(
    options: {
      timing?: Partial<InformerTiming>;
      wrapWatch?: (open: WatchOpener, attempt: number) => WatchOpener;
    } = {},
  ) {
    const signal = createSignal();
    const baseRequest = createKubeRequester(kc);
    const lists = new Map<string, number>();
    const watches = new Map<string, number>();
    const request = (async (req: KubeRequest) => {
      if (req.method === 'GET' && !req.query?.continue) {
        lists.set(req.path, (lists.get(req.path) ?? 0) + 1);
      }
      const answer = await baseRequest(req);
      signal.notify();
      return answer;
    }) as typeof baseRequest;
    const baseOpen = createWatchOpener(kc);
    const openWatch: WatchOpener = async (path, query, onEvent) => {
      const attempt = (watches.get(path) ?? 0) + 1;
      watches.set(path, attempt);
      const open =
        path === CONFIG_MAPS_PATH && options.wrapWatch
          ? options.wrapWatch(baseOpen, attempt)
          : baseOpen;
      const stream = await open(path, query, event => {
        onEvent(event);
        signal.notify();
      });
      signal.notify();
      stream.ended.then(signal.notify, signal.notify);
      return stream;
    };
    const changes: string[] = [];
    cache = createClusterLiveCache({
      request,
      openWatch,
      discovery: createDiscovery(request),
      timing: { backoffInitialMs: 50, backoffMaxMs: 200, ...options.timing },
      onChanges: apps => {
        changes.push(...apps);
        signal.notify();
      },
    });
    cache.start();
    return {
      cache,
      until: signal.until,
      changes,
      lists: (path: string) => lists.get(path) ?? 0,
      watches: (path: string) => watches.get(path) ?? 0,
    };
  }

  const settingsRef = () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'settings',
    namespace,
  });

  async function applySettings(color: string) {
    const manifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace },
      data: { color },
    } as Manifest;
    await cluster.apply(stamp(manifest, appName) as KubeObject);
  }

  const cachedColor = (c: ClusterLiveCache) =>
    (c.get(settingsRef())?.data as { color?: string } | undefined)?.color;

  it('sees a kubectl edit and a deletion of a tracked object, and names its application', async () => {
    const { cache: live, until, changes } = startCache();
    await live.waitForSync();
    await applySettings('blue');
    await until(() => cachedColor(live) === 'blue');

    await kubectl(
      '-n',
      namespace,
      'patch',
      'configmap',
      'settings',
      '--type=merge',
      '-p',
      '{"data":{"color":"red"}}',
    );
    await until(() => cachedColor(live) === 'red');
    expect(changes).toContain(appName);
    expect(live.trackedBy(appName)?.objects.map(o => o.metadata.name)).toEqual([
      'settings',
    ]);

    await kubectl('-n', namespace, 'delete', 'configmap', 'settings');
    await until(() => live.get(settingsRef()) === undefined);
    expect(live.trackedBy(appName)?.objects).toEqual([]);
  });

  it('resumes from its resourceVersion when the server ends a watch, without listing again', async () => {
    const {
      cache: live,
      until,
      lists,
      watches,
    } = startCache({
      timing: { watchTimeoutSeconds: () => 1 },
    });
    await live.waitForSync();
    await until(() => watches(CONFIG_MAPS_PATH) >= 3);
    expect(lists(CONFIG_MAPS_PATH)).toBe(1);

    await applySettings('green');
    await until(() => cachedColor(live) === 'green');
    expect(live.isSynced('v1', 'ConfigMap')).toBe(true);
  });

  it('reconnects after the connection is cut, and misses no change made meanwhile', async () => {
    let cut: (() => void) | undefined;
    const {
      cache: live,
      until,
      lists,
      watches,
    } = startCache({
      wrapWatch: (open, attempt) => async (path, query, onEvent) => {
        const stream = await open(path, query, onEvent);
        if (attempt > 1) return stream;
        // The first connection breaks when the test says so.
        let breakIt: (error: Error) => void = () => {};
        const broken = new Promise<void>((_, reject) => (breakIt = reject));
        cut = () => {
          breakIt(new Error('connection reset'));
          stream.close();
        };
        return {
          ended: Promise.race([stream.ended, broken]),
          close: stream.close,
        };
      },
    });
    await live.waitForSync();
    await applySettings('blue');
    await until(() => cachedColor(live) === 'blue');

    cut!();
    await applySettings('yellow');
    await until(() => cachedColor(live) === 'yellow');
    expect(watches(CONFIG_MAPS_PATH)).toBeGreaterThanOrEqual(2);
    // Resumed from the last version seen: the change came from the new watch.
    expect(lists(CONFIG_MAPS_PATH)).toBe(1);
    await until(() => live.isSynced('v1', 'ConfigMap'));
  });

  // A fresh test apiserver serves any old resourceVersion from its watch
  // cache, so the 410 is injected where the server would send it: as an
  // ERROR event in the stream (the watch cache's way) or as the answer.
  const gone = {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 410,
    reason: 'Expired',
    message: 'too old resource version',
  };

  it('lists again when a resumed watch reports 410 Gone in its stream', async () => {
    const {
      cache: live,
      until,
      lists,
    } = startCache({
      timing: { watchTimeoutSeconds: () => 1 },
      wrapWatch: (open, attempt) => async (path, query, onEvent) => {
        const stream = await open(path, query, onEvent);
        if (attempt === 2) onEvent({ type: 'ERROR', object: gone as never });
        return stream;
      },
    });
    await live.waitForSync();
    await until(() => lists(CONFIG_MAPS_PATH) >= 2);
    await applySettings('purple');
    await until(() => cachedColor(live) === 'purple');
    expect(live.isSynced('v1', 'ConfigMap')).toBe(true);
  });

  it('lists again when the server answers a resume with 410 Gone', async () => {
    const {
      cache: live,
      until,
      lists,
    } = startCache({
      timing: { watchTimeoutSeconds: () => 1 },
      wrapWatch: (open, attempt) => async (path, query, onEvent) => {
        if (attempt === 2) {
          throw new KubeApiError(410, 'Expired', gone.message);
        }
        return open(path, query, onEvent);
      },
    });
    await live.waitForSync();
    await until(() => lists(CONFIG_MAPS_PATH) >= 2);
    await applySettings('orange');
    await until(() => cachedColor(live) === 'orange');
    expect(live.isSynced('v1', 'ConfigMap')).toBe(true);
  });

  it('watches the kinds of a CRD created after it started, and forgets them when it goes', async () => {
    const group = `${appName}.example.com`;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Cluster',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                'x-kubernetes-preserve-unknown-fields': true,
              },
            },
          },
        ],
      },
    };
    const { cache: live, until } = startCache();
    await live.waitForSync();
    try {
      await cluster.apply(crd);
      await until(() => live.isSynced(`${group}/v1`, 'Gadget'));

      const gadget = stamp(
        {
          apiVersion: `${group}/v1`,
          kind: 'Gadget',
          metadata: { name: 'g' },
        } as Manifest,
        appName,
      );
      await cluster.apply(gadget as KubeObject);
      const ref = { apiVersion: `${group}/v1`, kind: 'Gadget', name: 'g' };
      await until(() => live.get(ref) !== undefined);
      // Cluster-scoped and tracked: found without Git naming its kind.
      expect(live.trackedBy(appName)?.objects.map(o => o.kind)).toContain(
        'Gadget',
      );
    } finally {
      await cluster.delete(
        { apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name },
        // Foreground would wait for the garbage collector to learn the kind.
        { propagationPolicy: 'Background' },
      );
    }
    await until(() => !live.watchedKinds().includes(`${group}/v1/Gadget`));
    expect(live.trackedBy(appName)?.objects.map(o => o.kind)).not.toContain(
      'Gadget',
    );
  });

  it('closes every watch when stopped', async () => {
    const open = new Set<Promise<void>>();
    const { cache: live } = startCache({
      wrapWatch: baseOpen => async (path, query, onEvent) => {
        const stream = await baseOpen(path, query, onEvent);
        open.add(stream.ended);
        return stream;
      },
    });
    await live.waitForSync();
    expect(open.size).toBe(1);
    await live.stop();
    cache = undefined;
    await Promise.all(open);
    expect(live.isSynced('v1', 'ConfigMap')).toBe(false);
  });
});
