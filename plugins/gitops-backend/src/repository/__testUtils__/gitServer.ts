import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoggedRequest {
  method: string;
  /** Path below the server root, such as `/apps.git/info/refs`. */
  path: string;
  query: string;
}

export interface TestGitServer {
  /** Where repositories served as `http://…/<name>.git` live. */
  root: string;
  url(name: string): string;
  requests: LoggedRequest[];
  /** How many times git started a fetch of a repository. */
  fetchCount(name: string): number;
  /** Delay every response, to hold a fetch in flight or force a timeout. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export interface TestGitServerOptions {
  /** When set, every request must carry Basic auth with this password. */
  token?: string;
}

/**
 * Serves the bare repositories under a temporary directory over smart HTTP
 * by running `git http-backend` as a CGI program, as a real Git host would.
 */
export async function startGitServer(
  options: TestGitServerOptions = {},
): Promise<TestGitServer> {
  const root = await mkdtemp(join(tmpdir(), 'gitops-server-'));
  const requests: LoggedRequest[] = [];
  let delayMs = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.slice(1),
    });
    setTimeout(() => {
      if (!authorised(req, options.token)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' });
        res.end('unauthorised');
        return;
      }
      runBackend(root, req, url, res);
    }, delayMs);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    root,
    url: name => `http://127.0.0.1:${port}/${name}.git`,
    requests,
    fetchCount: name =>
      requests.filter(
        r =>
          r.path === `/${name}.git/info/refs` &&
          r.query === 'service=git-upload-pack',
      ).length,
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

function authorised(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization ?? '';
  const encoded = /^Basic (.+)$/.exec(header)?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) === token;
}

function runBackend(
  root: string,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): void {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_USER: 'test',
    HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
    HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
  };
  const backend = spawn('git', ['http-backend'], { env });
  const chunks: Buffer[] = [];
  backend.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  backend.stderr.resume();
  req.pipe(backend.stdin);
  backend.on('close', () => {
    const output = Buffer.concat(chunks);
    let split = output.indexOf('\r\n\r\n');
    let gap = 4;
    if (split < 0) {
      split = output.indexOf('\n\n');
      gap = 2;
    }
    if (split < 0) {
      res.writeHead(500).end('bad CGI output');
      return;
    }
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of output.toString('latin1', 0, split).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.end(output.subarray(split + gap));
  });
}
