import { LoggerService } from '@backstage/backend-plugin-api';
import { ApplicationProblem } from '@backstage-gitops/plugin-gitops-common';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeObject } from '../../cluster/ClusterClient';
import { KubeApiError, createKubeRequester } from '../../cluster/kubeRequest';
import {
  WatchOpener,
  WatchStream,
  createWatchOpener,
} from '../../cluster/kubeWatch';
import { ARGO_API_VERSION } from './mapApplication';
import { ArgoObject, ArgoObjects } from './readArgoObjects';
import { ArgoClusterLocation } from './settings';

/** Argo CD's CRDs, with the plural names their definitions fix. */
const KINDS = [
  { kind: 'Application', plural: 'applications' },
  { kind: 'AppProject', plural: 'appprojects' },
];

const BACKOFF_INITIAL_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** However short the configured wait, a missing CRD is not asked for in a loop. */
const MIN_RETRY_MS = 1_000;

export type ArgoNamespaceWatch = {
  /** What the namespace holds now; the first call waits for the first list. */
  read(): Promise<ArgoObjects>;
  stop(): Promise<void>;
};

type KindState = {
  objects: Map<string, KubeObject>;
  problem?: ApplicationProblem;
  ready: Promise<void>;
  markReady(): void;
  stream?: WatchStream;
};

/**
 * Keeps the Application and AppProject objects of one namespace by a list,
 * then a watch from the list's resourceVersion, so that a change to one
 * object costs one watch event instead of a list of every object. A watch
 * the server ended is resumed; a resourceVersion too old (410) lists again.
 */
export function watchArgoNamespace(deps: {
  location: ArgoClusterLocation;
  kubeConfig: () => KubeConfig;
  /** After any object of the namespace appeared, changed or went away. */
  onChange: () => void;
  /** Wait before looking again for CRDs that are not installed. */
  retryMs: number;
  logger: LoggerService;
}): ArgoNamespaceWatch {
  const { location } = deps;
  const where = `gitops.argocd.clusters ${location.cluster}/${location.namespace}`;
  let stopped = false;
  const sleepers = new Set<() => void>();
  let composed: ArgoObjects | undefined;

  const states = KINDS.map(() => {
    let markReady = () => {};
    const ready = new Promise<void>(resolve => {
      markReady = resolve;
    });
    return { objects: new Map(), ready, markReady } as KindState;
  });

  function changed() {
    composed = undefined;
    deps.onChange();
  }

  function sleep(ms: number) {
    return new Promise<void>(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  /**
   * One watch from `from`, until the server ends it: the version to resume
   * from, or '' when it expired (410) and a list must come first.
   */
  async function watchFrom(
    from: string,
    target: {
      state: KindState;
      kind: string;
      path: string;
      openWatch: WatchOpener;
    },
  ): Promise<string> {
    const { state, kind } = target;
    let version = from;
    let expired = false;
    let reported: string | undefined;
    const stream = await target.openWatch(
      target.path,
      {
        resourceVersion: from,
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(Math.round(300 * (1 + Math.random()))),
      },
      event => {
        if (event.type === 'ERROR') {
          const status = event.object as { code?: number; message?: string };
          if (status.code === 410) expired = true;
          else reported = status.message ?? 'watch error';
          state.stream?.close();
          return;
        }
        version = String(event.object.metadata.resourceVersion ?? version);
        if (event.type === 'BOOKMARK') return;
        const name = event.object.metadata.name ?? '';
        if (event.type === 'DELETED') state.objects.delete(name);
        else {
          state.objects.set(name, {
            ...event.object,
            apiVersion: ARGO_API_VERSION,
            kind,
          });
        }
        changed();
      },
    );
    state.stream = stream;
    if (stopped || expired || reported) stream.close();
    await stream.ended;
    state.stream = undefined;
    if (reported) throw new Error(`the watch reported: ${reported}`);
    return expired ? '' : version;
  }

  async function run(index: number) {
    const { kind, plural } = KINDS[index];
    const state = states[index];
    const path = `/apis/${ARGO_API_VERSION}/namespaces/${encodeURIComponent(
      location.namespace,
    )}/${plural}`;
    let failures = 0;
    while (!stopped) {
      try {
        const kc = deps.kubeConfig();
        const request = createKubeRequester(kc);
        const openWatch = createWatchOpener(kc);
        const items: KubeObject[] = [];
        let version = '';
        let token: string | undefined;
        do {
          const page = await request<{
            items: KubeObject[];
            metadata?: { continue?: string; resourceVersion?: string };
          }>({ method: 'GET', path, query: { limit: '500', continue: token } });
          for (const item of page.items) items.push(item);
          version = page.metadata?.resourceVersion ?? version;
          token = page.metadata?.continue || undefined;
        } while (token);
        state.objects = new Map(
          items.map(item => [
            item.metadata.name ?? '',
            { ...item, apiVersion: ARGO_API_VERSION, kind },
          ]),
        );
        state.problem = undefined;
        state.markReady();
        changed();
        failures = 0;

        // Watch until the resourceVersion expires, then list again.
        while (version && !stopped) {
          version = await watchFrom(version, { state, kind, path, openWatch });
        }
      } catch (error) {
        if (stopped) break;
        failures++;
        state.objects = new Map();
        state.problem = problemOf(kind, error);
        state.markReady();
        changed();
        const missing =
          error instanceof KubeApiError && error.statusCode === 404;
        if (failures === 1 && !missing) {
          deps.logger.warn(`gitops: ${where}: ${state.problem?.message}`);
        }
        await sleep(
          missing
            ? Math.max(MIN_RETRY_MS, deps.retryMs)
            : Math.min(
                BACKOFF_MAX_MS,
                BACKOFF_INITIAL_MS * 2 ** (failures - 1),
              ),
        );
      }
    }
  }

  function problemOf(
    kind: string,
    error: unknown,
  ): ApplicationProblem | undefined {
    // Without the CRD there is nothing of that kind to read; say so for
    // Applications, the kind the location exists for.
    if (error instanceof KubeApiError && error.statusCode === 404) {
      return kind === 'Application'
        ? {
            origin: where,
            message: `the cluster does not serve ${ARGO_API_VERSION} Application (is the Argo CD CRD installed?)`,
          }
        : undefined;
    }
    return {
      origin: where,
      message: `${kind} objects cannot be listed: ${(error as Error).message}`,
    };
  }

  const running = KINDS.map((_, index) => run(index));

  return {
    async read() {
      await Promise.all(states.map(state => state.ready));
      if (composed) return composed;
      const objects: ArgoObject[] = [];
      const problems: ApplicationProblem[] = [];
      for (const [index, state] of states.entries()) {
        const { kind } = KINDS[index];
        if (state.problem) problems.push(state.problem);
        const names = [...state.objects.keys()].sort();
        for (const name of names) {
          objects.push({
            origin: `${where}: ${kind}/${name || '(no name)'}`,
            object: state.objects.get(name),
            cluster: {
              cluster: location.cluster,
              namespace: location.namespace,
            },
          });
        }
      }
      composed = { objects, problems };
      return composed;
    },
    async stop() {
      stopped = true;
      for (const state of states) {
        state.stream?.close();
        state.markReady();
      }
      for (const wake of [...sleepers]) wake();
      await Promise.all(running);
    },
  };
}
