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
// It accepts pushes without credentials (it listens on loopback only), so
// the scaffolder template can add services to it, and serves single files
// the way Git hosts do, for the catalog to read catalog-info.yaml:
//
//   http://127.0.0.1:<port>/apps.git/raw/<branch>/<path>

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
const bare = path.join(dir, 'apps.git');
git(['config', 'http.receivepack', 'true'], bare);

// A file of a branch, as `git cat-file` reads it from the bare repository.
const RAW = /^\/apps\.git\/raw\/([A-Za-z0-9._-]+)\/(.+)$/;
function serveRaw(
  /** @type {string} */ branch,
  /** @type {string} */ file,
  /** @type {http.ServerResponse} */ res,
) {
  const segments = file.split('/');
  if (branch.startsWith('-') || segments.some(s => s === '..' || s === '')) {
    res.writeHead(400).end('bad path\n');
    return;
  }
  childProcess.execFile(
    'git',
    ['cat-file', 'blob', `refs/heads/${branch}:${file}`],
    { cwd: bare, env: gitEnv, encoding: 'buffer', maxBuffer: 10 << 20 },
    (error, stdout) => {
      if (error) res.writeHead(404).end('not found\n');
      else res.writeHead(200, { 'Content-Type': 'text/plain' }).end(stdout);
    },
  );
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const raw = RAW.exec(decodeURIComponent(url.pathname));
  if (raw && req.method === 'GET') return serveRaw(raw[1], raw[2], res);
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
  // --port 0 takes a free port: print the one given.
  const { port: actual } = /** @type {import('node:net').AddressInfo} */ (
    server.address()
  );
  console.log(`dev git server: http://127.0.0.1:${actual}/apps.git`);
});
