import { KubeConfig } from '@kubernetes/client-node';
import https from 'https';
import { KubeObject } from './ClusterClient';
import {
  ClusterUnreachableError,
  requestOptions,
  safeJson,
  toApiError,
} from './kubeRequest';

export type WatchEventType =
  | 'ADDED'
  | 'MODIFIED'
  | 'DELETED'
  | 'BOOKMARK'
  | 'ERROR';

/** One line of a watch stream. For ERROR the object is a `Status`. */
export type WatchEvent = { type: WatchEventType; object: KubeObject };

export type WatchStream = {
  /**
   * Settles when the stream ends: resolves when the server ended it (its
   * `timeoutSeconds` ran out) or `close()` was called, rejects when the
   * connection broke or went silent for too long.
   */
  ended: Promise<void>;
  close(): void;
};

/**
 * Opens a watch on a collection path; resolves once the server has accepted
 * it (status 200), rejects with its `KubeApiError` (e.g. 410 Gone) otherwise.
 */
export type WatchOpener = (
  path: string,
  query: Record<string, string | undefined>,
  onEvent: (event: WatchEvent) => void,
) => Promise<WatchStream>;

const EVENT_TYPES = new Set([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

/**
 * Streaming watches over the same raw https layer as `kubeRequest`, with
 * client-node supplying the credentials only: its own Watch ended streams
 * after 30 s of silence in the versions we use (see CLUSTER-NOTES.md).
 * The idle timeout guards against a connection that died without a FIN. A
 * quiet kind can go minutes without even a bookmark (measured: the first one
 * after two minutes), so when the watch has a `timeoutSeconds`, after which
 * the server ends it anyway, the guard is a minute longer than that.
 */
export function createWatchOpener(
  kc: KubeConfig,
  options: { idleTimeoutMs?: number } = {},
): WatchOpener {
  const serverUrl = kc.getCurrentCluster()?.server ?? 'unknown';
  const idleTimeoutMs = options.idleTimeoutMs ?? 3 * 60_000;

  return async (path, query, onEvent) => {
    const serverEnds = Number(query.timeoutSeconds);
    const silentMs = serverEnds > 0 ? (serverEnds + 60) * 1000 : idleTimeoutMs;
    const opts = await requestOptions(
      kc,
      { method: 'GET', path, query: { ...query, watch: 'true' } },
      silentMs,
    );
    return new Promise<WatchStream>((resolve, reject) => {
      let closedByUs = false;
      let handlerError: Error | undefined;
      let settle: { resolve(): void; reject(error: Error): void } | undefined;
      const ended = new Promise<void>((res, rej) => {
        settle = { resolve: res, reject: rej };
      });
      // Nobody may be awaiting `ended` yet when the stream breaks.
      ended.catch(() => {});
      const finish = (error?: Error) => {
        const s = settle;
        settle = undefined;
        if (!s) return;
        if (error && !closedByUs) s.reject(error);
        else s.resolve();
      };

      const req = https.request(opts, res => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            reject(
              toApiError(res.statusCode ?? 0, safeJson(text), {
                method: 'GET',
                path,
              }),
            );
          });
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
            const line = buffer.slice(0, i);
            buffer = buffer.slice(i + 1);
            const event = parseEvent(line);
            if (!event) continue;
            try {
              onEvent(event);
            } catch (error) {
              handlerError = error as Error;
              req.destroy(handlerError);
              return;
            }
          }
        });
        res.on('close', () =>
          finish(
            res.complete
              ? undefined
              : new ClusterUnreachableError(
                  `watch on cluster ${serverUrl} was cut`,
                ),
          ),
        );
        resolve({
          ended,
          close() {
            closedByUs = true;
            req.destroy();
            finish();
          },
        });
      });
      req.on('timeout', () =>
        req.destroy(
          new ClusterUnreachableError(
            `watch on cluster ${serverUrl} was silent for ${silentMs} ms`,
          ),
        ),
      );
      req.on('error', error => {
        // Only the code: a TLS or socket error message can quote request details.
        let wrapped: Error;
        if (handlerError) wrapped = handlerError;
        else if (error instanceof ClusterUnreachableError) wrapped = error;
        else {
          const code = (error as NodeJS.ErrnoException).code ?? error.name;
          wrapped = new ClusterUnreachableError(
            `cluster ${serverUrl} is unreachable (${code})`,
          );
        }
        reject(wrapped);
        finish(wrapped);
      });
      req.end();
    });
  };
}

function parseEvent(line: string): WatchEvent | undefined {
  if (!line.trim()) return undefined;
  const parsed = safeJson(line) as Partial<WatchEvent> | undefined;
  if (
    !parsed ||
    typeof parsed.type !== 'string' ||
    !EVENT_TYPES.has(parsed.type) ||
    typeof parsed.object !== 'object' ||
    parsed.object === null
  ) {
    return undefined;
  }
  return parsed as WatchEvent;
}
