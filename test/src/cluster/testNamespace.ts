import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import crypto from 'crypto';

/** The admin kubeconfig of the cluster that Jest's global setup started. */
export function testKubeConfig(): KubeConfig {
  const file = process.env.GITOPS_TEST_KUBECONFIG;
  if (!file) {
    throw new Error(
      'GITOPS_TEST_KUBECONFIG is not set: this test needs the test cluster from test/cluster/jest-global-setup.js',
    );
  }
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

/**
 * A namespace of the test's own, so suites can run side by side on one
 * cluster. `remove()` deletes it and waits until it is gone.
 */
export async function createTestNamespace(
  kc: KubeConfig,
  prefix = 'test',
): Promise<{ name: string; remove(): Promise<void> }> {
  const core = kc.makeApiClient(CoreV1Api);
  const name = `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
  await core.createNamespace({ body: { metadata: { name } } });
  return {
    name,
    async remove() {
      await core.deleteNamespace({ name });
      await eventually(`namespace ${name} to be deleted`, async () => {
        try {
          await core.readNamespace({ name });
          return false;
        } catch (error) {
          return (error as { code?: number }).code === 404;
        }
      });
    },
  };
}

/** Polls until `check` is true; the error names what was awaited. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
