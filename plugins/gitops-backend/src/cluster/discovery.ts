import { KubeApiError, KubeRequester } from './kubeRequest';

export type ApiResource = {
  /** The plural name used in URLs, e.g. `deployments`. */
  name: string;
  apiVersion: string;
  kind: string;
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
        apiVersion,
        kind: r.kind,
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
    /**
     * Every kind that can be listed, at each group's preferred version. Read
     * afresh each time: it is how objects of kinds that left Git are found.
     */
    async listableKinds(): Promise<ApiResource[]> {
      const groups = await request<{
        groups: { preferredVersion: { groupVersion: string } }[];
      }>({ method: 'GET', path: '/apis' });
      const versions = [
        'v1',
        ...groups.groups.map(g => g.preferredVersion.groupVersion),
      ];
      // An aggregated API whose backend is down (a broken metrics-server,
      // say) answers 503: its kinds are left out, the rest still count.
      const lists = await Promise.all(
        versions.map(version =>
          load(version).catch(error => {
            if (error instanceof KubeApiError) {
              return new Map<string, ApiResource>();
            }
            throw error;
          }),
        ),
      );
      return lists
        .flatMap(byKind => [...byKind.values()])
        .filter(r => r.verbs.includes('list'));
    },
    invalidate() {
      cache.clear();
    },
  };
}

export type Discovery = ReturnType<typeof createDiscovery>;
