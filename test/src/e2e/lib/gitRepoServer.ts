import { execFile, spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'E2E Tester',
  GIT_AUTHOR_EMAIL: 'e2e@example.com',
  GIT_COMMITTER_NAME: 'E2E Tester',
  GIT_COMMITTER_EMAIL: 'e2e@example.com',
};

export type GitRepoServer = {
  /** `http://127.0.0.1:<port>/repo.git` */
  url: string;
  /**
   * Writes the files over the last commit (`null` deletes a file or folder),
   * commits and publishes; the SHA.
   */
  commit(
    files: Record<string, string | null>,
    message: string,
  ): Promise<string>;
  stop(): Promise<void>;
};

/**
 * A Git repository of the test's own, served over smart HTTP by
 * `git http-backend` on loopback, so a test can change what the app deploys.
 */
export async function startGitRepoServer(): Promise<GitRepoServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-e2e-git-'));
  const bare = path.join(root, 'repo.git');
  const work = path.join(root, 'work');
  const git = (cwd: string, ...args: string[]) =>
    run('git', args, { cwd, env: GIT_ENV }).then(r => r.stdout.trim());
  fs.mkdirSync(work);
  await git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  await git(work, 'init', '-q', '-b', 'main');

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...GIT_ENV,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      },
    });
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    cgi.stderr.resume();
    req.pipe(cgi.stdin);
    cgi.on('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n');
      if (split < 0) {
        res.writeHead(500).end('bad CGI output');
        return;
      }
      let status = 200;
      for (const line of output.toString('latin1', 0, split).split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.end(output.subarray(split + 4));
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/repo.git`,
    async commit(files, message) {
      for (const [file, content] of Object.entries(files)) {
        if (content === null) {
          fs.rmSync(path.join(work, file), { recursive: true, force: true });
          continue;
        }
        fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
        fs.writeFileSync(path.join(work, file), content);
      }
      await git(work, 'add', '-A');
      await git(work, 'commit', '-q', '-m', message);
      await git(work, 'push', '-q', bare, 'main');
      return git(work, 'rev-parse', 'HEAD');
    },
    async stop() {
      server.closeAllConnections();
      await new Promise(resolve => server.close(resolve));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
