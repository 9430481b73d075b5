import { KubeConfig } from '@kubernetes/client-node';
import crypto from 'crypto';
import { ClusterClient } from '../ClusterClient';

/** The admin kubeconfig of the cluster that Jest's global setup started. */
export function testKubeConfig(): KubeConfig {
  const file = process.env.GITOPS_TEST_KUBECONFIG;
  if (!file) {
    throw new Error(
      'GITOPS_TEST_KUBECONFIG is not set: these tests need the cluster of test/jest-global-setup.js',
    );
  }
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/** A namespace of the test's own, so suites share one cluster safely. */
export async function createTestNamespace(
  client: ClusterClient,
  prefix: string,
): Promise<string> {
  const name = `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
  await client.apply({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  return name;
}
