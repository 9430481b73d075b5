// @ts-check
'use strict';

// A throwaway PostgreSQL server on loopback for the database tests, from
// Debian's packages: initdb into a temp dir, start on a free port, and
// remove everything on stop(). Installs `postgresql` with apt when missing.

const childProcess = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** @returns {string | undefined} the newest installed server's bin dir */
function findServerBin() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter(v => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

function installServer() {
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (/** @type {string[]} */ args) => {
    const [cmd, ...rest] = [...sudo, ...args];
    const result = childProcess.spawnSync(cmd, rest, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      throw new Error(
        `PostgreSQL is not installed and "${args.join(' ')}" failed: ${
          result.stderr
        }`,
      );
    }
  };
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', 'postgresql']);
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * @returns {Promise<{ connectionString: string, major: string, stop(): Promise<void> }>}
 */
async function startPostgres() {
  let bin = findServerBin();
  if (!bin) {
    installServer();
    bin = findServerBin();
    if (!bin)
      throw new Error('PostgreSQL install finished but initdb is missing');
  }
  const major = path.basename(path.dirname(bin));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-postgres-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  // PostgreSQL refuses to run as root: run it as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    childProcess.execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const run = (/** @type {string} */ tool, /** @type {string[]} */ args) => {
    const [cmd, ...rest] = asRoot
      ? ['runuser', '-u', 'postgres', '--', path.join(bin, tool), ...args]
      : [path.join(bin, tool), ...args];
    const result = childProcess.spawnSync(cmd, rest, { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(
        `PostgreSQL ${tool} failed: ${result.stderr || result.stdout}`,
      );
    }
  };
  run('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
    'start',
  ]);
  let stopped = false;
  return {
    connectionString: `postgresql://postgres@127.0.0.1:${port}`,
    major,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

module.exports = { startPostgres };
