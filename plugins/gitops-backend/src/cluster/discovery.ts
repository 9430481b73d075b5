import { KubeApiError, KubeRequester } from './kubeRequest';

export type ApiResource = {
  /** The plural name used in URLs, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
  verbs: string[];
};

type ResourceList = {
  resources: {
    name: string;
    kind: string;
    namespaced: boolean;
    verbs?: string[];
  }[];
};

/** The kind is not served by the cluster (yet): no such group, version or kind. */
export class UnknownKindError extends Error {
  readonly name = 'UnknownKindError';
}

/**
 * Maps apiVersion + kind to the REST resource, from the server's discovery
 * documents. Group versions are cached; a miss re-reads once, because a CRD
 * applied earlier in the same sync adds kinds after the first lookup.
 */
export function createDiscovery(request: KubeRequester) {
  const cache = new Map<string, Map<string, ApiResource>>();

  async function load(apiVersion: string): Promise<Map<string, ApiResource>> {
    const path = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    let list: ResourceList;
    try {
      list = await request<ResourceList>({ method: 'GET', path });
    } catch (error) {
      if (error instanceof KubeApiError && error.statusCode === 404) {
        return new Map();
      }
      throw error;
    }
    const byKind = new Map<string, ApiResource>();
    for (const r of list.resources) {
      // Subresources (`deployments/status`) share the kind of their parent.
      if (r.name.includes('/')) continue;
      byKind.set(r.kind, {
        name: r.name,
        namespaced: r.namespaced,
        verbs: r.verbs ?? [],
      });
    }
    cache.set(apiVersion, byKind);
    return byKind;
  }

  return {
    async resourceFor(apiVersion: string, kind: string): Promise<ApiResource> {
      const cached = cache.get(apiVersion)?.get(kind);
      if (cached) return cached;
      const fresh = (await load(apiVersion)).get(kind);
      if (!fresh) {
        throw new UnknownKindError(
          `the cluster does not serve kind ${kind} in ${apiVersion}`,
        );
      }
      return fresh;
    },
    invalidate() {
      cache.clear();
    },
  };
}

export type Discovery = ReturnType<typeof createDiscovery>;
