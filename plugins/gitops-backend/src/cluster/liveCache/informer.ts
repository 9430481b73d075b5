import { KubeObject } from '../ClusterClient';
import { ApiResource } from '../discovery';
import { KubeApiError, KubeRequester } from '../kubeRequest';
import { WatchEvent, WatchOpener, WatchStream } from '../kubeWatch';
import { KindId, LiveChange, LiveStore, kindIdOf } from './liveStore';

export type InformerTiming = {
  /** A full list this often, as a safety net for anything a watch missed. */
  resyncMs: number;
  /** How long the server keeps one watch open; spread so they do not all end at once. */
  watchTimeoutSeconds: () => number;
  /** Waits after consecutive failures: initial, doubling up to max. */
  backoffInitialMs: number;
  backoffMaxMs: number;
};

export const DEFAULT_TIMING: InformerTiming = {
  resyncMs: 30 * 60_000,
  // client-go's reflector: between 5 and 10 minutes.
  watchTimeoutSeconds: () => Math.round(300 * (1 + Math.random())),
  backoffInitialMs: 500,
  backoffMaxMs: 30_000,
};

export type Informer = {
  readonly kindId: KindId;
  readonly resource: ApiResource;
  /**
   * Listed and watching: the store is as current as the stream. False before
   * the first list and while a broken watch is being re-established, when
   * readers must ask the API server instead.
   */
  isSynced(): boolean;
  /** Lists again now (the periodic resync does this too). */
  relist(): void;
  stop(): Promise<void>;
};

/**
 * Keeps one kind of one cluster in the store, the way client-go's reflector
 * does: list, then watch from the list's resourceVersion with bookmarks (so a
 * resumed watch starts from a recent version), resume after the server ends a
 * watch, back off after failures, list again on 410 Gone and on every resync.
 */
export function startInformer(deps: {
  resource: ApiResource;
  store: LiveStore;
  request: KubeRequester;
  openWatch: WatchOpener;
  /** Changes of tracked objects, after the store has taken them. */
  onChanges: (changes: LiveChange[]) => void;
  /** Every ADDED, MODIFIED or DELETED event, tracked or not. */
  onEvent?: (event: WatchEvent) => void;
  /** A list replaced what the store held: events may have been missed. */
  onListed?: () => void;
  onFailure?: (message: string) => void;
  /** The server no longer serves the kind (404): time to look again. */
  onNotFound?: () => void;
  timing?: Partial<InformerTiming>;
}): Informer {
  const { resource, store, request, openWatch } = deps;
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const kindId = kindIdOf(resource.apiVersion, resource.kind);
  const path = collectionPath(resource);

  let stopped = false;
  let synced = false;
  let needList = true;
  let current: WatchStream | undefined;
  let closeRequested = false;
  let streamError: string | undefined;
  let wake: (() => void) | undefined;

  const closeWatch = () => {
    closeRequested = true;
    current?.close();
  };

  async function list() {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let listVersion = '';
    do {
      const page = await request<{
        items: KubeObject[];
        metadata?: { continue?: string; resourceVersion?: string };
      }>({
        method: 'GET',
        path,
        query: { limit: '500', continue: continueToken },
      });
      for (const item of page.items) items.push(item);
      listVersion = page.metadata?.resourceVersion ?? listVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    const changes = store.replace(kindId, items, listVersion);
    deps.onListed?.();
    if (changes.length > 0) deps.onChanges(changes);
  }

  function handle(event: WatchEvent) {
    if (event.type !== 'BOOKMARK' && event.type !== 'ERROR') {
      deps.onEvent?.(event);
    }
    const outcome = store.apply(kindId, event);
    if (outcome.changes.length > 0) deps.onChanges(outcome.changes);
    if (outcome.expired) {
      needList = true;
      closeWatch();
    } else if (outcome.error) {
      streamError = outcome.error;
      closeWatch();
    }
  }

  async function watchOnce() {
    // A resync asked for while listing: list again before watching.
    if (needList) return;
    closeRequested = false;
    streamError = undefined;
    const stream = await openWatch(
      path,
      {
        resourceVersion: store.resourceVersion(kindId),
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(timing.watchTimeoutSeconds()),
      },
      handle,
    );
    current = stream;
    synced = true;
    if (closeRequested || stopped) stream.close();
    await stream.ended;
    current = undefined;
    if (streamError) throw new Error(`the watch reported: ${streamError}`);
  }

  async function run() {
    let failures = 0;
    while (!stopped) {
      try {
        if (needList) {
          needList = false;
          await list();
        }
        await watchOnce();
        failures = 0;
      } catch (error) {
        current = undefined;
        if (stopped) break;
        if (error instanceof KubeApiError && error.statusCode === 410) {
          // Too old to resume from: a fresh list, at once the first time.
          needList = true;
          if (failures++ === 0) continue;
        } else {
          if (error instanceof KubeApiError && error.statusCode === 404) {
            deps.onNotFound?.();
          }
          // A list that failed half-way left nothing to resume from.
          if (!store.resourceVersion(kindId)) needList = true;
          failures++;
        }
        synced = false;
        deps.onFailure?.(`${kindId}: ${(error as Error).message}`);
        await sleep(backoff(failures));
      }
    }
  }

  function backoff(failures: number): number {
    const ms = Math.min(
      timing.backoffMaxMs,
      timing.backoffInitialMs * 2 ** Math.max(0, failures - 1),
    );
    return ms / 2 + Math.random() * (ms / 2);
  }

  function sleep(ms: number) {
    return new Promise<void>(resolve => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = undefined;
    });
  }

  const relist = () => {
    needList = true;
    closeWatch();
  };
  const resync = setInterval(relist, timing.resyncMs);
  resync.unref?.();
  const running = run();

  return {
    kindId,
    resource,
    isSynced: () => synced && !stopped,
    relist,
    async stop() {
      stopped = true;
      clearInterval(resync);
      closeWatch();
      wake?.();
      await running;
    },
  };
}

function collectionPath(resource: ApiResource): string {
  const root = resource.apiVersion.includes('/')
    ? `/apis/${resource.apiVersion}`
    : `/api/${resource.apiVersion}`;
  return `${root}/${resource.name}`;
}
