import {
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';

/** Objects every namespace gets from Kubernetes itself, not from the app. */
const BUILT_IN = new Set([
  'ConfigMap/kube-root-ca.crt',
  'ServiceAccount/default',
]);

export type LiveObject = {
  /** `Kind/name` */
  id: string;
  resourceVersion: string;
  annotations: Record<string, string>;
  object: KubernetesObject;
};

/**
 * The namespace's objects of these kinds, as the application left them:
 * objects a controller made for another (a Job's Pods) are left out, they
 * are not the application's.
 */
export async function liveObjects(
  kc: KubeConfig,
  namespace: string,
  kinds: { apiVersion: string; kind: string }[],
): Promise<LiveObject[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const found: LiveObject[] = [];
  for (const { apiVersion, kind } of kinds) {
    if (kind === 'Namespace') continue;
    const list = await api.list<KubernetesObject>(apiVersion, kind, namespace);
    for (const item of list.items) {
      const meta = item.metadata ?? {};
      const id = `${kind}/${meta.name}`;
      if (BUILT_IN.has(id) || meta.ownerReferences?.length) continue;
      if (meta.deletionTimestamp) continue;
      found.push({
        id,
        resourceVersion: meta.resourceVersion ?? '',
        annotations: meta.annotations ?? {},
        object: item,
      });
    }
  }
  return found.sort((a, b) => a.id.localeCompare(b.id));
}

/** The namespace object itself, or undefined once it is gone. */
export async function readNamespace(
  kc: KubeConfig,
  name: string,
): Promise<KubernetesObject | undefined> {
  try {
    return await kc.makeApiClient(CoreV1Api).readNamespace({ name });
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

export async function createNamespace(kc: KubeConfig, name: string) {
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } });
}

/** Deletes without waiting: the run's namespaces go away in the background. */
export async function deleteNamespace(kc: KubeConfig, name: string) {
  if (await readNamespace(kc, name)) {
    await kc.makeApiClient(CoreV1Api).deleteNamespace({ name });
  }
}

/** Whether `Kind/name` matches a pattern, where `Kind/prefix-*` stands for generateName. */
export function matchesId(pattern: string, id: string): boolean {
  return pattern.endsWith('*')
    ? id.startsWith(pattern.slice(0, -1)) && id.length > pattern.length - 1
    : pattern === id;
}
