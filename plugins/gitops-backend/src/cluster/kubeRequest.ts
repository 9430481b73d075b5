import { KubeConfig } from '@kubernetes/client-node';
import https from 'https';

/** An answer of the API server that was not a success, in its own words. */
export class KubeApiError extends Error {
  readonly name = 'KubeApiError';
  constructor(
    readonly statusCode: number,
    /** The Status `reason`, e.g. NotFound, Conflict, Invalid, Forbidden. */
    readonly reason: string,
    message: string,
    readonly causes: { field?: string; message?: string }[] = [],
    /**
     * The Status `message` as the server sent it. The API server often sends
     * a message without a reason (a field of the wrong type is a 500 with
     * only a message), and that message is the only useful part.
     */
    readonly serverMessage?: string,
  ) {
    super(message);
  }
}

/** The cluster could not be reached at all. */
export class ClusterUnreachableError extends Error {
  readonly name = 'ClusterUnreachableError';
}

export type KubeRequest = {
  method: 'GET' | 'PATCH' | 'DELETE' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
};

export type KubeRequester = <T>(request: KubeRequest) => Promise<T>;

/**
 * Raw JSON requests to the API server. client-node's typed API serialises
 * built-in kinds through its own models, which silently drops fields it does
 * not know; manifests must reach the server exactly as written. Credentials
 * come from the kubeconfig and never appear in an error.
 */
export function createKubeRequester(
  kc: KubeConfig,
  options: { timeoutMs?: number } = {},
): KubeRequester {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const timeoutMs = options.timeoutMs ?? 30_000;

  return async function request<T>(req: KubeRequest): Promise<T> {
    const opts = await requestOptions(
      kc,
      { ...req, hasBody: req.body !== undefined },
      timeoutMs,
    );
    const payload =
      req.body === undefined ? undefined : JSON.stringify(req.body);

    const { statusCode, text } = await send(opts, payload, cluster.server);
    const parsed = text ? safeJson(text) : undefined;
    if (statusCode >= 200 && statusCode < 300) return parsed as T;
    throw toApiError(statusCode, parsed, req);
  };
}

/**
 * The https options of one request to the kubeconfig's current cluster:
 * address, path with query, and the credentials (applied by client-node, so
 * every kubeconfig form it reads works here too).
 */
export async function requestOptions(
  kc: KubeConfig,
  req: Omit<KubeRequest, 'body'> & { hasBody?: boolean },
  timeoutMs: number,
): Promise<https.RequestOptions> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const server = new URL(cluster.server);
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) query.set(key, value);
  }
  const search = query.toString() ? `?${query}` : '';
  const opts: https.RequestOptions = {
    protocol: server.protocol,
    hostname: server.hostname,
    port: server.port,
    method: req.method,
    path: `${server.pathname.replace(/\/$/, '')}${req.path}${search}`,
    headers: {
      Accept: 'application/json',
      ...(req.hasBody
        ? { 'Content-Type': req.contentType ?? 'application/json' }
        : {}),
    },
    timeout: timeoutMs,
  };
  await kc.applyToHTTPSOptions(opts);
  return opts;
}

function send(
  opts: https.RequestOptions,
  payload: string | undefined,
  serverUrl: string,
): Promise<{ statusCode: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(opts, res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          statusCode: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () =>
      req.destroy(
        new ClusterUnreachableError(
          `cluster ${serverUrl} did not answer within ${opts.timeout} ms`,
        ),
      ),
    );
    req.on('error', error => {
      // Only the code: a TLS or socket error message can quote request details.
      const code = (error as NodeJS.ErrnoException).code ?? error.name;
      reject(
        error instanceof ClusterUnreachableError
          ? error
          : new ClusterUnreachableError(
              `cluster ${serverUrl} is unreachable (${code})`,
            ),
      );
    });
    req.end(payload);
  });
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function toApiError(
  statusCode: number,
  body: unknown,
  req: Pick<KubeRequest, 'method' | 'path'>,
): KubeApiError {
  const status = (body ?? {}) as {
    reason?: string;
    message?: string;
    details?: { causes?: { field?: string; message?: string }[] };
  };
  return new KubeApiError(
    statusCode,
    status.reason ?? `HTTP${statusCode}`,
    status.message ?? `${req.method} ${req.path} answered ${statusCode}`,
    status.details?.causes ?? [],
    typeof status.message === 'string' && status.message !== ''
      ? status.message
      : undefined,
  );
}
