// @ts-check
'use strict';

// Serves the example applications (examples/apps) as a Git repository over
// HTTP on loopback, the way a Git host would, so the local app has something
// to reconcile without network access: http://127.0.0.1:<port>/apps.git
//
//   node scripts/dev-git-server.js [--port 7008]
//
// The repository is made afresh at start (one commit of examples/apps) in a
// temp folder that is removed on exit. `git http-backend` does the protocol.

const childProcess = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 7008;

const gitEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Backstage GitOps examples',
  GIT_AUTHOR_EMAIL: 'examples@localhost',
  GIT_COMMITTER_NAME: 'Backstage GitOps examples',
  GIT_COMMITTER_EMAIL: 'examples@localhost',
};
const git = (/** @type {string[]} */ args, /** @type {string} */ cwd) =>
  childProcess.execFileSync('git', args, { cwd, env: gitEnv, stdio: 'pipe' });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-dev-git-'));
const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}

const work = path.join(dir, 'work');
fs.cpSync(path.join(root, 'examples/apps'), work, { recursive: true });
git(['init', '-q', '-b', 'main'], work);
git(['add', '-A'], work);
git(['commit', '-q', '-m', 'Example applications'], work);
git(['clone', '-q', '--bare', work, path.join(dir, 'apps.git')], dir);
git(['config', 'http.receivepack', 'false'], path.join(dir, 'apps.git'));

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const cgi = childProcess.spawn('git', ['http-backend'], {
    env: {
      ...gitEnv,
      GIT_PROJECT_ROOT: dir,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
    },
  });
  req.pipe(cgi.stdin);
  // CGI output: headers, a blank line, then the body.
  let head = Buffer.alloc(0);
  let inBody = false;
  cgi.stdout.on('data', (/** @type {Buffer} */ chunk) => {
    if (inBody) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    inBody = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString().split('\r\n')) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (name.toLowerCase() === 'status') status = parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  cgi.on('close', () => res.end());
  cgi.on('error', () => res.destroy());
});

server.on('error', error => {
  const code = /** @type {NodeJS.ErrnoException} */ (error).code;
  console.error(
    code === 'EADDRINUSE'
      ? `dev git server: port ${port} is taken; stop whatever uses it or pass --port`
      : `dev git server: ${error.message}`,
  );
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  console.log(`dev git server: http://127.0.0.1:${port}/apps.git`);
});
