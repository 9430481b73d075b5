import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  loadAllYaml,
} from '@kubernetes/client-node';
import fs from 'fs';
import path from 'path';

// The CRDs the backend's own tests install too: one definition.
const CRDS = path.resolve(__dirname, '../../cluster/argo-crds.yaml');

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';

const isCode = (error: unknown, code: number) =>
  (error as { code?: number }).code === code;

/**
 * Argo CD's Application CRD (and AppProject's), so that an app of apps can
 * store its children in the cluster; waits until the kind is served.
 */
export async function installArgoCrds(kc: KubeConfig): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  // Read into the client's typed model: written back from a plain object,
  // `x-kubernetes-preserve-unknown-fields` would be dropped on the way.
  for (const crd of loadAllYaml(fs.readFileSync(CRDS, 'utf8'))) {
    try {
      await api.create(crd as KubernetesObject);
    } catch (error) {
      if (!isCode(error, 409)) throw error;
    }
  }
  for (let i = 0; ; i++) {
    try {
      await api.list(ARGO_API_VERSION, 'Application', 'default');
      return;
    } catch (error) {
      if (i === 100) throw error;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
}

/** The Application object, or undefined once it is gone. */
export async function readApplication(
  kc: KubeConfig,
  namespace: string,
  name: string,
): Promise<KubernetesObject | undefined> {
  try {
    return await KubernetesObjectApi.makeApiClient(kc).read({
      apiVersion: ARGO_API_VERSION,
      kind: 'Application',
      metadata: { name, namespace },
    });
  } catch (error) {
    if (isCode(error, 404)) return undefined;
    throw error;
  }
}
