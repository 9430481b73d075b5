import { LoggerService } from '@backstage/backend-plugin-api';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient } from './ClusterClient';
import { createDiscovery } from './discovery';
import { createKubeRequester } from './kubeRequest';
import { createWatchOpener } from './kubeWatch';
import {
  ClusterLiveCache,
  createClusterLiveCache,
} from './liveCache/ClusterLiveCache';
import { InformerTiming } from './liveCache/informer';
import { ClusterConfigError } from './clusters';
import { LiveState, cachedLiveState } from '../compare/liveState';

/**
 * One watch cache per destination cluster, started the first time an
 * application compares against that cluster and stopped with the plugin.
 * Changes of tracked objects are passed on with the cluster's name.
 */
export function createLiveCaches(deps: {
  clusters: Map<string, () => KubeConfig>;
  clientFor: (cluster: string) => ClusterClient;
  logger: LoggerService;
  onChanges?: (cluster: string, applications: string[]) => void;
  timing?: Partial<InformerTiming>;
}) {
  const caches = new Map<string, ClusterLiveCache>();
  let stopped = false;

  function cacheFor(cluster: string): ClusterLiveCache {
    const known = caches.get(cluster);
    if (known) return known;
    const load = deps.clusters.get(cluster);
    if (!load) {
      throw new ClusterConfigError(
        `destination cluster "${cluster}" is not declared in gitops.clusters`,
      );
    }
    const kc = load();
    const request = createKubeRequester(kc);
    const cache = createClusterLiveCache({
      request,
      openWatch: createWatchOpener(kc),
      discovery: createDiscovery(request),
      timing: deps.timing,
      onChanges: apps => deps.onChanges?.(cluster, apps),
      onFailure: message =>
        deps.logger.warn(`gitops: watch of cluster "${cluster}": ${message}`),
    });
    caches.set(cluster, cache);
    if (!stopped) cache.start();
    return cache;
  }

  return {
    cacheFor,
    liveFor(cluster: string): LiveState {
      return cachedLiveState(cacheFor(cluster), deps.clientFor(cluster));
    },
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all([...caches.values()].map(cache => cache.stop()));
    },
  };
}

export type LiveCaches = ReturnType<typeof createLiveCaches>;
