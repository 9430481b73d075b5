import { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_CLUSTER_NAME } from '@backstage-gitops/plugin-gitops-common';
import { ClusterClient } from './ClusterClient';
import { ClusterConfigError } from './clusterConfigError';
import { readKubernetesConfigClusters } from './kubernetesConfigClusters';

export { ClusterConfigError };

type KubeConfigLoader = (kc: KubeConfig) => void;

/**
 * The clusters applications deploy to, by name: `gitops.clusters[]` from
 * config, each a kubeconfig file (and optionally a context in it), the
 * `type: config` clusters of `kubernetes.clusterLocatorMethods` (the
 * Kubernetes plugin's config, see kubernetesConfigClusters.ts), plus
 * `in-cluster` when not declared: the backend's own environment (its pod's
 * service account, or KUBECONFIG in local development).
 *
 * A kubeconfig whose user runs an `exec` plugin or an `auth-provider` is
 * refused: it would run arbitrary programs inside the backend.
 */
export function readClusters(
  config: Config,
  loadDefault: KubeConfigLoader = kc => kc.loadFromDefault(),
): Map<string, () => KubeConfig> {
  const clusters = new Map<string, () => KubeConfig>();
  for (const entry of config.getOptionalConfigArray('gitops.clusters') ?? []) {
    const name = entry.getString('name');
    const file = entry.getString('kubeconfigPath');
    const context = entry.getOptionalString('context');
    if (clusters.has(name)) {
      throw new ClusterConfigError(`cluster "${name}" is declared twice`);
    }
    clusters.set(name, () =>
      checked(name, kc => {
        kc.loadFromFile(file);
        if (context) kc.setCurrentContext(context);
      }),
    );
  }
  for (const { name, load } of readKubernetesConfigClusters(config)) {
    if (clusters.has(name)) {
      throw new ClusterConfigError(`cluster "${name}" is declared twice`);
    }
    clusters.set(name, () => checked(name, load));
  }
  if (!clusters.has(DEFAULT_CLUSTER_NAME)) {
    clusters.set(DEFAULT_CLUSTER_NAME, () =>
      checked(DEFAULT_CLUSTER_NAME, loadDefault),
    );
  }
  return clusters;
}

function checked(name: string, load: KubeConfigLoader): KubeConfig {
  const kc = new KubeConfig();
  try {
    load(kc);
  } catch (error) {
    if (error instanceof ClusterConfigError) throw error;
    throw new ClusterConfigError(
      `cluster "${name}": kubeconfig cannot be read: ${
        (error as Error).message
      }`,
    );
  }
  const user = kc.getCurrentUser();
  if (user?.exec || user?.authProvider) {
    throw new ClusterConfigError(
      `cluster "${name}": kubeconfig users with exec or auth-provider plugins are refused; use a token or client certificate`,
    );
  }
  if (!kc.getCurrentCluster()) {
    throw new ClusterConfigError(
      `cluster "${name}": kubeconfig has no current cluster`,
    );
  }
  return kc;
}

/** One client per destination cluster, made on first use. */
export function createClusterClients(
  clusters: Map<string, () => KubeConfig>,
): (cluster: string) => ClusterClient {
  const clients = new Map<string, ClusterClient>();
  return cluster => {
    const cached = clients.get(cluster);
    if (cached) return cached;
    const load = clusters.get(cluster);
    if (!load) {
      throw new ClusterConfigError(
        `destination cluster "${cluster}" is not declared in gitops.clusters`,
      );
    }
    const client = ClusterClient.fromKubeConfig(load());
    clients.set(cluster, client);
    return client;
  };
}

/**
 * The declared clusters with their API servers, so Argo CD destinations
 * that name a `server` find the cluster. One whose kubeconfig cannot be read
 * is listed without a server: naming it still works, and using it reports
 * the reason.
 */
export function knownClusters(
  clusters: Map<string, () => KubeConfig>,
): { name: string; server?: string }[] {
  return [...clusters.entries()].map(([name, load]) => {
    try {
      return { name, server: load().getCurrentCluster()?.server };
    } catch {
      return { name };
    }
  });
}

/** The API server of a declared cluster, read once, like its client. */
export function createServerLookup(
  clusters: Map<string, () => KubeConfig>,
): (cluster: string) => string | undefined {
  const servers = new Map<string, string | undefined>();
  return cluster => {
    if (!servers.has(cluster)) {
      servers.set(
        cluster,
        knownClusters(new Map([...clusters].filter(([n]) => n === cluster)))[0]
          ?.server,
      );
    }
    return servers.get(cluster);
  };
}
