import { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterConfigError } from './clusterConfigError';

/** A cluster from the Kubernetes plugin's config, ready to load. */
export interface KubernetesConfigCluster {
  name: string;
  /**
   * Builds the kubeconfig of the cluster. Throws for an auth provider other
   * than `serviceAccount` (or a missing token): the reason names the cluster.
   */
  load(kc: KubeConfig): void;
}

/**
 * The clusters of `kubernetes.clusterLocatorMethods[]` entries of
 * `type: config`, the config Backstage's Kubernetes plugin reads, so one list
 * of clusters serves both plugins. Other locator types (catalog, gke,
 * localKubectlProxy) find clusters at run time and are not destinations.
 *
 * Only `authProvider: serviceAccount` with a `serviceAccountToken` can be
 * used by a reconciler: other providers act with the signed-in user's
 * credentials, which a background sync does not have. Such a cluster is still
 * listed, and using it fails with the reason, so a typo is not silently lost.
 */
export function readKubernetesConfigClusters(
  config: Config,
): KubernetesConfigCluster[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods
    .filter(method => method.getString('type') === 'config')
    .flatMap(method => method.getOptionalConfigArray('clusters') ?? [])
    .map(entry => {
      const name = entry.getString('name');
      const server = entry.getString('url');
      const authProvider = entry.getOptionalString('authProvider');
      const token = entry.getOptionalString('serviceAccountToken');
      const caData = entry.getOptionalString('caData');
      const caFile = entry.getOptionalString('caFile');
      const skipTLSVerify = entry.getOptionalBoolean('skipTLSVerify') ?? false;
      return {
        name,
        load(kc: KubeConfig) {
          if (authProvider !== 'serviceAccount') {
            throw new ClusterConfigError(
              `cluster "${name}": authProvider "${
                authProvider ?? ''
              }" in kubernetes.clusterLocatorMethods is not supported for GitOps destinations; use "serviceAccount" with a serviceAccountToken`,
            );
          }
          if (!token) {
            throw new ClusterConfigError(
              `cluster "${name}": serviceAccountToken is required in kubernetes.clusterLocatorMethods for GitOps destinations`,
            );
          }
          kc.loadFromOptions({
            clusters: [
              {
                name,
                server,
                skipTLSVerify,
                ...(caData ? { caData } : {}),
                ...(caFile ? { caFile } : {}),
              },
            ],
            users: [{ name, token }],
            contexts: [{ name, cluster: name, user: name }],
            currentContext: name,
          });
        },
      };
    });
}
