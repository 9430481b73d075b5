import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient } from '../cluster/ClusterClient';
import { createDiscovery } from '../cluster/discovery';
import { KubeRequest, createKubeRequester } from '../cluster/kubeRequest';
import { createWatchOpener } from '../cluster/kubeWatch';
import {
  ClusterLiveCache,
  createClusterLiveCache,
} from '../cluster/liveCache/ClusterLiveCache';

/**
 * A client of the test cluster that records every request it makes (the
 * API server's own `/metrics` count every test running at the same time).
 */
export function countingClient(kc: KubeConfig) {
  const inner = createKubeRequester(kc);
  const requests: KubeRequest[] = [];
  const request = <T>(req: KubeRequest) => {
    requests.push(req);
    return inner<T>(req);
  };
  return {
    cluster: new ClusterClient(request, createDiscovery(request)),
    requests,
    /** Server-side dry-run applies made so far, as `Kind/name`. */
    dryRuns: () =>
      requests
        .filter(r => r.method === 'PATCH' && r.query?.dryRun === 'All')
        .map(r => {
          const body = r.body as { kind: string; metadata: { name: string } };
          return `${body.kind}/${body.metadata.name}`;
        }),
  };
}

/**
 * A started, synced watch cache of the test cluster for the tests of one
 * file, on its own connection (its requests are not counted); stopped after.
 */
export function useLiveCache(kc: KubeConfig): { cache: ClusterLiveCache } {
  const context = {} as { cache: ClusterLiveCache };
  beforeAll(async () => {
    const request = createKubeRequester(kc);
    context.cache = createClusterLiveCache({
      request,
      discovery: createDiscovery(request),
      openWatch: createWatchOpener(kc),
    });
    context.cache.start();
    await context.cache.waitForSync();
  });
  afterAll(async () => {
    await context.cache.stop();
  });
  return context;
}
