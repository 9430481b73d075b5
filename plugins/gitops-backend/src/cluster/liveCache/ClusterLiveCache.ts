import { Manifest, resourceKey } from '../../engine';
import { KubeObject, ObjectRef } from '../ClusterClient';
import { ApiResource, Discovery, UnknownKindError } from '../discovery';
import { KubeRequester } from '../kubeRequest';
import { WatchOpener } from '../kubeWatch';
import { Informer, InformerTiming, startInformer } from './informer';
import {
  KindId,
  LiveChange,
  LiveStore,
  applicationsOf,
  kindIdOf,
} from './liveStore';
import { changeMatters } from './changeMatters';
import { createSchemaEpochs } from './schemaEpochs';
import {
  changesDiscovery,
  changesDryRuns,
  isWatchedByDefault,
} from './watchedKinds';

export type ClusterLiveCacheOptions = {
  request: KubeRequester;
  openWatch: WatchOpener;
  discovery: Discovery;
  /** Applications whose tracked objects changed, as soon as a change arrives. */
  onChanges?: (applications: string[]) => void;
  /** A kind's list or watch failed (the first failure in a row only). */
  onFailure?: (message: string) => void;
  timing?: Partial<InformerTiming>;
  /** How often served kinds are looked up again besides CRD changes. */
  rediscoverMs?: number;
};

/**
 * The live state of one cluster, kept by watches: every listable kind
 * (besides the noisy ones in watchedKinds.ts) cluster-wide, so objects that
 * left Git are found wherever they are, cluster-scoped ones included; and any
 * kind an application's desired state names, at the version it names. A CRD
 * or APIService change makes it look up the served kinds again, so the kinds
 * of a CRD applied earlier in a sync are watched as soon as they are served.
 */
export function createClusterLiveCache(options: ClusterLiveCacheOptions) {
  const { discovery } = options;
  const store = new LiveStore();
  const informers = new Map<KindId, Informer>();
  /** Kinds desired state asked for: kept even when not watched by default. */
  const ensured = new Set<KindId>();
  let defaultKinds: ApiResource[] | undefined;
  let started = false;
  let stopped = false;
  let rediscoverTimer: NodeJS.Timeout | undefined;
  let periodic: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;
  const failing = new Set<KindId>();
  const schemas = createSchemaEpochs();

  function changed(changes: LiveChange[]) {
    const apps = new Set(changes.filter(changeMatters).flatMap(applicationsOf));
    if (apps.size > 0) options.onChanges?.([...apps]);
  }

  function startFor(resource: ApiResource) {
    const kindId = kindIdOf(resource.apiVersion, resource.kind);
    if (informers.has(kindId) || stopped) return;
    informers.set(
      kindId,
      startInformer({
        resource,
        store,
        request: options.request,
        openWatch: options.openWatch,
        timing: options.timing,
        onChanges: changes => {
          failing.delete(kindId);
          changed(changes);
        },
        onEvent: event => {
          failing.delete(kindId);
          schemas.changed(event.object);
          if (changesDiscovery(resource.kind, resource.apiVersion)) {
            scheduleRediscovery(event.type === 'ADDED' ? 0 : 200);
          }
        },
        onListed: () => schemas.listed(resource.kind, resource.apiVersion),
        onNotFound: () => scheduleRediscovery(1000),
        onFailure: message => {
          if (failing.has(kindId)) return;
          failing.add(kindId);
          options.onFailure?.(message);
        },
      }),
    );
  }

  async function stopFor(kindId: KindId) {
    const informer = informers.get(kindId);
    if (!informer) return;
    informers.delete(kindId);
    await informer.stop();
    changed(store.drop(kindId));
  }

  async function refreshKinds(): Promise<void> {
    discovery.invalidate();
    const served = (await discovery.listableKinds()).filter(isWatchedByDefault);
    const wanted = new Set(served.map(r => kindIdOf(r.apiVersion, r.kind)));
    defaultKinds = served;
    for (const resource of served) startFor(resource);
    for (const kindId of [...informers.keys()]) {
      if (!wanted.has(kindId) && !ensured.has(kindId)) await stopFor(kindId);
    }
  }

  let rediscoverAgain = false;
  function rediscover(): Promise<void> {
    // One lookup at a time; one asked for meanwhile runs after it, since
    // what it was asked for may have happened after the first one read.
    if (refreshing) {
      rediscoverAgain = true;
      return refreshing;
    }
    refreshing = refreshKinds()
      .catch(error => {
        options.onFailure?.(`discovery: ${(error as Error).message}`);
        // Never started: try again soon rather than at the next period.
        if (!defaultKinds) scheduleRediscovery(10_000);
      })
      .finally(() => {
        refreshing = undefined;
        if (rediscoverAgain && !stopped) {
          rediscoverAgain = false;
          rediscover();
        }
      });
    return refreshing;
  }

  function scheduleRediscovery(delayMs: number) {
    if (stopped || rediscoverTimer) return;
    rediscoverTimer = setTimeout(() => {
      rediscoverTimer = undefined;
      rediscover();
    }, delayMs);
  }

  const isSynced = (kindId: KindId) =>
    informers.get(kindId)?.isSynced() ?? false;

  return {
    /** Starts watching; returns at once. Safe to call again. */
    start(): void {
      if (started || stopped) return;
      started = true;
      rediscover();
      periodic = setInterval(rediscover, options.rediscoverMs ?? 5 * 60_000);
      periodic.unref?.();
    },

    /** Watches a kind desired state names, if the cluster serves it. */
    async ensureKind(apiVersion: string, kind: string): Promise<void> {
      const kindId = kindIdOf(apiVersion, kind);
      if (informers.has(kindId) || stopped) return;
      let resource: ApiResource;
      try {
        resource = await discovery.resourceFor(apiVersion, kind);
      } catch (error) {
        if (error instanceof UnknownKindError) return;
        throw error;
      }
      if (!resource.verbs.includes('watch')) return;
      ensured.add(kindId);
      startFor(resource);
    },

    isSynced(apiVersion: string, kind: string): boolean {
      return isSynced(kindIdOf(apiVersion, kind));
    },

    /** The tracked object, as last seen; meaningful only for a synced kind. */
    get(ref: ObjectRef): KubeObject | undefined {
      return store.get(
        kindIdOf(ref.apiVersion, ref.kind),
        ref.namespace,
        ref.name,
      );
    },

    /**
     * The application's objects in every synced kind, and the kinds that are
     * not synced (to be listed directly); undefined until discovery answered.
     */
    trackedBy(
      appName: string,
    ): { objects: KubeObject[]; unsynced: ApiResource[] } | undefined {
      if (!defaultKinds) return undefined;
      const seen = new Set<string>();
      const objects: KubeObject[] = [];
      for (const obj of store.trackedBy(appName)) {
        const key = resourceKey(obj as Manifest);
        if (!isSynced(kindIdOf(obj.apiVersion, obj.kind)) || seen.has(key)) {
          continue;
        }
        seen.add(key);
        objects.push(obj);
      }
      const unsynced = [
        ...defaultKinds,
        ...[...informers.values()].map(i => i.resource),
      ].filter(
        (r, i, all) =>
          !isSynced(kindIdOf(r.apiVersion, r.kind)) &&
          all.findIndex(
            o => o.apiVersion === r.apiVersion && o.kind === r.kind,
          ) === i,
      );
      return { objects, unsynced };
    },

    /** Resolves once discovery answered and every watched kind is synced. */
    async waitForSync(timeoutMs = 60_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (
        !defaultKinds ||
        [...informers.values()].some(i => !i.isSynced())
      ) {
        if (Date.now() > deadline) {
          const pending = [...informers.values()]
            .filter(i => !i.isSynced())
            .map(i => i.kindId);
          throw new Error(
            `live cache not synced within ${timeoutMs} ms: ${
              pending.join(', ') || 'discovery'
            }`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    },

    /** Lists every kind again (what the periodic resync does). */
    relistAll(): void {
      for (const informer of informers.values()) informer.relist();
    },

    /**
     * A token that changes whenever the kind's CRD, its group's APIService
     * or mutating admission may have changed (schemaEpochs.ts), so a dry-run
     * result kept under one token is not reused under the next; undefined
     * while any of those kinds is not watched (nothing is reused then).
     */
    schemaEpoch(apiVersion: string, kind: string): string | undefined {
      if (!defaultKinds) return undefined;
      const kinds = defaultKinds.filter(r =>
        changesDryRuns(r.kind, r.apiVersion),
      );
      const watched = kinds.every(r =>
        isSynced(kindIdOf(r.apiVersion, r.kind)),
      );
      return watched ? schemas.epochOf(apiVersion, kind) : undefined;
    },

    /** Objects held, over all kinds. */
    size: () => store.size(),
    watchedKinds: () => [...informers.keys()],

    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(rediscoverTimer);
      clearInterval(periodic);
      await refreshing;
      await Promise.all([...informers.values()].map(i => i.stop()));
      informers.clear();
    },
  };
}

export type ClusterLiveCache = ReturnType<typeof createClusterLiveCache>;
