// A minimal client of the test control plane for benchmarks: JSON requests
// and the raw /metrics text. Plain node:https, so that it counts exactly the
// requests a benchmark makes and needs no client library's discovery calls.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

/** What a benchmark needs of test/cluster's `Cluster`. */
export interface ApiServerAccess {
  server: string;
  token: string;
  caFile: string;
}

export interface ApiServer {
  /** The response body as text; throws on a status of 400 or more. */
  text(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<string>;
  json<T = any>(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<T>;
}

export function apiServer(access: ApiServerAccess): ApiServer {
  const agent = new Agent({
    ca: readFileSync(access.caFile),
    keepAlive: true,
    maxSockets: 8,
  });
  const text: ApiServer['text'] = (method, path, body, contentType) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(path, access.server),
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${access.token}`,
            accept: 'application/json, text/plain',
            ...(payload !== undefined
              ? { 'content-type': contentType ?? 'application/json' }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => {
            const out = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 400) {
              reject(
                new Error(
                  `${method} ${path}: ${res.statusCode} ${out.slice(0, 300)}`,
                ),
              );
            } else {
              resolve(out);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    text,
    json: async (method, path, body, contentType) =>
      JSON.parse(await text(method, path, body, contentType)),
  };
}
