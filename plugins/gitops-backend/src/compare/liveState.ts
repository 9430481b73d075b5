import pLimit from 'p-limit';
import { ApplicationCondition } from '@backstage-gitops/plugin-gitops-common';
import { ClusterClient, KubeObject, ObjectRef } from '../cluster/ClusterClient';
import { ApiResource, UnknownKindError } from '../cluster/discovery';
import { KubeApiError } from '../cluster/kubeRequest';
import { ClusterLiveCache } from '../cluster/liveCache/ClusterLiveCache';
import { isWatchedByDefault } from '../cluster/liveCache/watchedKinds';
import { Manifest, isTrackedBy, resourceKey } from '../engine';

const LIST_CONCURRENCY = 6;

/** Where a comparison reads the cluster from. */
export interface LiveState {
  /** The live object; `cached` when it came from the watch cache. */
  get(ref: ObjectRef): Promise<{ object?: KubeObject; cached: boolean }>;
  /** The live object, asked of the API server itself. */
  read(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Live objects the application tracks that its desired state lacks. */
  extraneous(appName: string, desired: Manifest[]): Promise<KubeObject[]>;
  /**
   * A token for the kind's schema and the cluster's mutating admission,
   * which a dry run's result depends on besides the manifest and the live
   * object; undefined when nothing would notice them change, and then
   * comparisons are never reused (comparisonMemo.ts).
   */
  schemaEpoch(apiVersion: string, kind: string): string | undefined;
}

/**
 * Reads from the cluster on every call: a GET per resource, and a LIST of
 * every kind (in the application's namespaces for namespaced kinds, everywhere
 * for cluster-scoped ones) to find what left Git. Used while no cache is
 * synced.
 */
export function directLiveState(cluster: ClusterClient): LiveState {
  return {
    async get(ref) {
      return { object: await cluster.get(ref), cached: false };
    },
    read: ref => cluster.get(ref),
    // Without watches a changed CRD would go unnoticed.
    schemaEpoch: () => undefined,
    async extraneous(appName, desired) {
      const kinds = [
        ...(await cluster.discovery.listableKinds()).filter(isWatchedByDefault),
        ...(await servedKinds(cluster, desired)),
      ];
      return (await listTracked(cluster, appName, kinds, desired)).filter(
        notIn(desired),
      );
    },
  };
}

/**
 * Reads from the watch cache where its kind is synced, and from the cluster
 * where it is not. Asking for a kind starts its watch, so the kinds of a CRD
 * applied earlier in a sync are watched from the first comparison that needs
 * them.
 */
export function cachedLiveState(
  cache: ClusterLiveCache,
  cluster: ClusterClient,
): LiveState {
  const direct = directLiveState(cluster);
  return {
    async get(ref) {
      await cache.ensureKind(ref.apiVersion, ref.kind);
      if (!cache.isSynced(ref.apiVersion, ref.kind)) return direct.get(ref);
      return { object: cache.get(ref), cached: true };
    },
    read: direct.read,
    schemaEpoch: (apiVersion, kind) => cache.schemaEpoch(apiVersion, kind),
    async extraneous(appName, desired) {
      const fromCache = cache.trackedBy(appName);
      if (!fromCache) return direct.extraneous(appName, desired);
      const unwanted = notIn(desired);
      const found: KubeObject[] = [];
      // What the cache holds may lag a deletion made a moment ago (a prune):
      // each candidate is confirmed before it is reported.
      for (const obj of fromCache.objects.filter(unwanted)) {
        const fresh = await cluster.get(refOf(obj));
        if (fresh && isTrackedBy(fresh as Manifest, appName)) found.push(fresh);
      }
      const listed = await listTracked(
        cluster,
        appName,
        fromCache.unsynced,
        desired,
      );
      const seen = new Set(found.map(o => resourceKey(o as Manifest)));
      return [
        ...found,
        ...listed.filter(
          o => unwanted(o) && !seen.has(resourceKey(o as Manifest)),
        ),
      ];
    },
  };
}

/**
 * Reads the live object and compares it. A cached object that does not match
 * Git is read again from the API server before the result counts: the cache
 * may lag a write made a moment ago (a sync's own apply), and drift that is
 * not there would make selfHeal sync again. In the steady state (Synced)
 * that costs nothing; only a difference costs a GET.
 */
export async function compareLive<T extends { status: string }>(
  live: LiveState,
  ref: ObjectRef,
  compare: (
    object: KubeObject | undefined,
    conditions: ApplicationCondition[],
  ) => Promise<T>,
): Promise<{
  object?: KubeObject;
  comparison: T;
  conditions: ApplicationCondition[];
}> {
  const first = await live.get(ref);
  const conditions: ApplicationCondition[] = [];
  const comparison = await compare(first.object, conditions);
  if (!first.cached || comparison.status === 'Synced') {
    return { object: first.object, comparison, conditions };
  }
  const object = await live.read(ref);
  const confirmed: ApplicationCondition[] = [];
  return {
    object,
    comparison: await compare(object, confirmed),
    conditions: confirmed,
  };
}

/**
 * Every live object the application tracks, in every namespace: what
 * deleting it with its resources deletes. Git is not asked, so an
 * application whose source is gone can still be deleted.
 */
export async function trackedObjects(
  cluster: ClusterClient,
  appName: string,
): Promise<KubeObject[]> {
  const kinds = (await cluster.discovery.listableKinds()).filter(
    isWatchedByDefault,
  );
  return listTracked(cluster, appName, kinds, 'everywhere');
}

async function listTracked(
  cluster: ClusterClient,
  appName: string,
  kinds: Pick<ApiResource, 'apiVersion' | 'kind' | 'namespaced'>[],
  desired: Manifest[] | 'everywhere',
): Promise<KubeObject[]> {
  // Undefined lists a namespaced kind across all namespaces.
  const namespaces: (string | undefined)[] =
    desired === 'everywhere'
      ? [undefined]
      : [
          ...new Set(
            desired
              .map(m => m.metadata.namespace)
              .filter((n): n is string => !!n),
          ),
        ];
  const lookups = new Map<
    string,
    { apiVersion: string; kind: string; namespace?: string }
  >();
  for (const { apiVersion, kind, namespaced } of kinds) {
    for (const namespace of namespaced ? namespaces : [undefined]) {
      lookups.set(`${apiVersion}/${kind}/${namespace ?? ''}`, {
        apiVersion,
        kind,
        namespace,
      });
    }
  }
  // Dozens of kinds: a few lists at once.
  const limit = pLimit(LIST_CONCURRENCY);
  const lists = await Promise.all(
    [...lookups.values()].map(({ apiVersion, kind, namespace }) =>
      limit(() =>
        cluster.list(apiVersion, kind, { namespace }).catch(error => {
          // What the backend may not list, it could not prune either; and a
          // kind whose CRD went away since discovery (404) has no objects.
          if (
            error instanceof KubeApiError &&
            (error.statusCode === 403 || error.statusCode === 404)
          ) {
            return [];
          }
          throw error;
        }),
      ),
    ),
  );
  const found = new Map<string, KubeObject>();
  for (const obj of lists.flat()) {
    const key = resourceKey(obj as Manifest);
    if (isTrackedBy(obj as Manifest, appName) && !found.has(key)) {
      found.set(key, obj);
    }
  }
  return [...found.values()];
}

/** The kinds desired state names, as served (a kind not served yet is left out). */
async function servedKinds(
  cluster: ClusterClient,
  desired: Manifest[],
): Promise<ApiResource[]> {
  const kinds = new Map<string, ApiResource>();
  for (const m of desired) {
    if (kinds.has(`${m.apiVersion}/${m.kind}`)) continue;
    try {
      const resource = await cluster.discovery.resourceFor(
        m.apiVersion,
        m.kind,
      );
      if (resource.verbs.includes('list')) {
        kinds.set(`${m.apiVersion}/${m.kind}`, resource);
      }
    } catch (error) {
      if (!(error instanceof UnknownKindError)) throw error;
    }
  }
  return [...kinds.values()];
}

function notIn(desired: Manifest[]) {
  const wanted = new Set(desired.map(resourceKey));
  return (obj: KubeObject) => !wanted.has(resourceKey(obj as Manifest));
}

function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name!,
    namespace: obj.metadata.namespace,
  };
}
