// @ts-check
'use strict';

/**
 * A real Kubernetes control plane on loopback, for tests (the envtest way):
 * etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (one
 * simulated node, so Pods run and Jobs finish), all built from Go modules by
 * build.sh. Node built-ins only.
 *
 *   const { startCluster } = require('./cluster');
 *   const c = await startCluster();   // throws if the binaries are not built
 *   // c.kubeconfigPath, c.server, c.token, c.caFile
 *   await c.stop();
 *
 * binDir() does not build: a missing build is an error telling you to run
 * `node test/cluster/cli.js build` (build.sh takes minutes when cold, so it is
 * an explicit step). startCluster({ build: true }) runs build.sh first.
 */

const childProcess = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const BUILD_SCRIPT = path.join(__dirname, 'build.sh');
const BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kubectl',
  'kwok',
  'helm',
  'kustomize',
];
const NODE_NAME = 'kwok-node-0';
/** Label that makes kwok fail a Pod's containers (kwok's pod-container-running-failed stage). */
const FAIL_POD_LABEL = 'pod-container-running-failed.stage.kwok.x-k8s.io';

/**
 * @typedef {object} Proc
 * @property {string} name
 * @property {childProcess.ChildProcess} child
 * @property {string} logFile
 * @property {Promise<void>} exited resolves when the process has exited
 * @property {number | null} exitCode
 * @property {string | null} signal
 * @property {boolean} done
 */

/**
 * @typedef {object} Cluster
 * @property {string} server        https://127.0.0.1:<port>
 * @property {string} token         admin bearer token (group system:masters); never log it
 * @property {string} caFile        PEM file that verifies the apiserver's certificate
 * @property {string} kubeconfigPath admin kubeconfig (token + CA)
 * @property {string} binDir        directory with etcd, kubectl, helm, kustomize, ...
 * @property {string} dir           temporary cluster directory (logs, data); removed by stop()
 * @property {string} nodeName      the kwok-managed Node
 * @property {{ name: string, pid: number }[]} processes
 * @property {(name: string, lines?: number) => string} logTail last lines of a component's log
 * @property {() => Promise<void>} stop
 */

/** @returns {string} the bin dir build.sh uses (cache dir + version key). */
function binDirPath() {
  return childProcess
    .execFileSync('bash', [BUILD_SCRIPT, '--print-bin-dir'], {
      encoding: 'utf8',
    })
    .trim();
}

/** @returns {string[]} names of binaries not built yet */
function missingBinaries(dir = binDirPath()) {
  return BINARIES.filter(
    b =>
      !fs.existsSync(path.join(dir, b)) ||
      !fs.existsSync(path.join(dir, `.${b}.ok`)),
  );
}

/**
 * Path of the built binaries. Throws when any is missing (it does not build).
 * @returns {string}
 */
function binDir() {
  const dir = binDirPath();
  const missing = missingBinaries(dir);
  if (missing.length) {
    throw new Error(
      `test cluster binaries not built (missing: ${missing.join(
        ', ',
      )} in ${dir}). ` +
        'Build them with: node test/cluster/cli.js build   (or: bash test/cluster/build.sh)',
    );
  }
  return dir;
}

/**
 * Runs build.sh (idempotent: instant when everything is built).
 * @param {{ quiet?: boolean }} [opts] quiet: do not forward build output to stderr
 * @returns {Promise<string>} the bin dir
 */
function build(opts = {}) {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn('bash', [BUILD_SCRIPT], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', d => {
      out += d;
      if (!opts.quiet) process.stderr.write(d);
    });
    child.stderr.on('data', d => {
      err = (err + d).slice(-8000);
      if (!opts.quiet) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('exit', code => {
      if (code === 0) resolve(out.trim().split('\n').pop() || binDir());
      else
        reject(
          new Error(
            `build.sh failed with exit code ${code}:\n${err
              .split('\n')
              .slice(-30)
              .join('\n')}`,
          ),
        );
    });
  });
}

/** @returns {Promise<number>} a free TCP port on 127.0.0.1 */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** @param {number} ms */
const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * Minimal HTTP(S) request helper.
 * @param {string} url
 * @param {{ method?: string, token?: string, ca?: Buffer, body?: unknown, timeoutMs?: number }} [opts]
 * @returns {Promise<{ status: number, body: string }>}
 */
function request(url, opts = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    /** @type {Record<string, string>} */
    const headers = { Accept: 'application/json' };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    const payload =
      opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    const req = mod.request(
      u,
      {
        method: opts.method || 'GET',
        headers,
        ca: opts.ca,
        timeout: opts.timeoutMs || 5000,
      },
      res => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', d => (data += d));
        res.on('end', () =>
          resolve({ status: res.statusCode || 0, body: data }),
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`timeout requesting ${u.pathname}`)),
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * @param {string} file
 * @param {number} lines
 * @param {string[]} secrets strings to redact
 */
function tail(file, lines, secrets) {
  let text = '';
  try {
    const buf = fs.readFileSync(file);
    text = buf.subarray(Math.max(0, buf.length - 64 * 1024)).toString('utf8');
  } catch {
    return '(no log)';
  }
  for (const s of secrets) if (s) text = text.split(s).join('<redacted>');
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Writes a kubeconfig (JSON is valid YAML) for a token user.
 * @param {string} file @param {string} server @param {string} caFile @param {string} user @param {string} token
 */
function writeKubeconfig(file, server, caFile, user, token) {
  const cfg = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'test', cluster: { server, 'certificate-authority': caFile } },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [
      {
        name: 'test',
        context: { cluster: 'test', user, namespace: 'default' },
      },
    ],
    'current-context': 'test',
  };
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
}

/** Processes of every cluster of this Node process, killed on 'exit'. */
/** @type {Set<Proc>} */
const live = new Set();
/** Cluster dirs to remove on 'exit' (those not kept). */
/** @type {Set<string>} */
const liveDirs = new Set();
let exitHookInstalled = false;

/** Kills (SIGKILL) every live child and removes the live dirs, synchronously. */
function killAllNow() {
  for (const p of live) {
    if (!p.done && p.child.pid) {
      try {
        process.kill(p.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  for (const d of liveDirs) {
    try {
      fs.rmSync(d, { recursive: true, force: true, maxRetries: 5 });
    } catch {
      /* best effort */
    }
  }
}

/**
 * An aborted run leaves nothing behind: on 'exit', and on SIGINT/SIGTERM/SIGHUP
 * when nobody else handles the signal (then the signal is re-raised, so the
 * process still dies of it). A SIGKILLed Node process cannot clean up.
 */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of /** @type {NodeJS.Signals[]} */ ([
    'SIGINT',
    'SIGTERM',
    'SIGHUP',
  ])) {
    const onSignal = () => {
      if (process.listenerCount(sig) > 1) return; // someone else (e.g. cli.js) handles it
      killAllNow();
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

/**
 * Starts a cluster. On failure everything started is stopped and the error
 * carries the tail of the failing component's log.
 * @param {{ baseDir?: string, log?: (msg: string) => void, timeoutMs?: number, build?: boolean, keepDir?: boolean }} [opts]
 *   baseDir: parent of the temporary cluster dir (default os.tmpdir());
 *   log: progress messages (never secrets); timeoutMs: per wait (default 120000);
 *   build: run build.sh first (default false: missing binaries throw);
 *   keepDir: keep the cluster dir after stop() (logs for debugging).
 * @returns {Promise<Cluster>}
 */
async function startCluster(opts = {}) {
  const log = opts.log || (() => {});
  const timeoutMs = opts.timeoutMs || 120000;
  const bin = opts.build ? await build({ quiet: true }) : binDir();
  const t0 = Date.now();
  const dir = fs.mkdtempSync(
    path.join(opts.baseDir || os.tmpdir(), 'gitops-cluster-'),
  );
  installExitHook();
  if (!opts.keepDir) liveDirs.add(dir);

  /** @type {Proc[]} */
  const procs = [];
  const tokens = {
    admin: crypto.randomBytes(24).toString('hex'),
    kcm: crypto.randomBytes(24).toString('hex'),
    scheduler: crypto.randomBytes(24).toString('hex'),
    kwok: crypto.randomBytes(24).toString('hex'),
  };
  const secrets = Object.values(tokens);
  let stopped = false;

  /**
   * @param {string} name
   * @param {string[]} args
   * @param {NodeJS.ProcessEnv} [env]
   * @returns {Proc}
   */
  function spawn(name, args, env) {
    const logFile = path.join(dir, `${name}.log`);
    const fd = fs.openSync(logFile, 'a');
    const child = childProcess.spawn(path.join(bin, name), args, {
      cwd: dir,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...env },
    });
    fs.closeSync(fd);
    /** @type {Proc} */
    const p = {
      name,
      child,
      logFile,
      exited: Promise.resolve(),
      exitCode: null,
      signal: null,
      done: false,
    };
    p.exited = new Promise(resolve => {
      child.on('exit', (code, signal) => {
        p.done = true;
        p.exitCode = code;
        p.signal = signal;
        live.delete(p);
        resolve();
      });
      child.on('error', err => {
        fs.appendFileSync(logFile, `\nspawn error: ${err.message}\n`);
        p.done = true;
        live.delete(p);
        resolve();
      });
    });
    procs.push(p);
    live.add(p);
    return p;
  }

  /** @param {Proc} p @param {string} what */
  function failure(p, what) {
    const status = p.done
      ? ` (exited: ${p.signal || `code ${p.exitCode}`})`
      : '';
    return new Error(
      `test cluster: ${what}${status}; last lines of ${p.logFile}:\n${tail(
        p.logFile,
        40,
        secrets,
      )}`,
    );
  }

  /**
   * Polls check() until it returns true; fails early if one of `watch` exits.
   * @param {string} what @param {Proc} blame @param {() => Promise<boolean>} check
   */
  async function waitFor(what, blame, check) {
    const deadline = Date.now() + timeoutMs;
    let lastErr = '';
    for (;;) {
      const dead = procs.find(p => p.done);
      if (dead)
        throw failure(dead, `${dead.name} exited while waiting for ${what}`);
      try {
        if (await check()) return;
      } catch (e) {
        lastErr = e instanceof Error ? e.message : String(e);
      }
      if (Date.now() > deadline)
        throw failure(
          blame,
          `timed out after ${timeoutMs} ms waiting for ${what}${
            lastErr ? ` (${lastErr})` : ''
          }`,
        );
      await sleep(200);
    }
  }

  async function stop() {
    if (stopped) return;
    stopped = true;
    // Reverse start order: kwok, scheduler, controller-manager, apiserver, etcd.
    for (const p of [...procs].reverse()) {
      if (!p.done) p.child.kill('SIGTERM');
      const t = setTimeout(() => {
        if (!p.done) p.child.kill('SIGKILL');
      }, 10000);
      await p.exited;
      clearTimeout(t);
    }
    if (!opts.keepDir) fs.rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  }

  try {
    // ---- keys, tokens ------------------------------------------------------
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const saPub = path.join(dir, 'sa.pub');
    const saKey = path.join(dir, 'sa.key');
    fs.writeFileSync(saPub, publicKey);
    fs.writeFileSync(saKey, privateKey, { mode: 0o600 });
    const tokenFile = path.join(dir, 'tokens.csv');
    fs.writeFileSync(
      tokenFile,
      [
        `${tokens.admin},admin,admin-uid,"system:masters"`,
        `${tokens.kcm},system:kube-controller-manager,kcm-uid`,
        `${tokens.scheduler},system:kube-scheduler,scheduler-uid`,
        `${tokens.kwok},kwok,kwok-uid,"system:masters"`,
      ].join('\n') + '\n',
      { mode: 0o600 },
    );

    // ---- etcd --------------------------------------------------------------
    const etcdPort = await freePort();
    const etcdPeerPort = await freePort();
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    log('starting etcd');
    const etcd = spawn('etcd', [
      '--name=test',
      `--data-dir=${path.join(dir, 'etcd-data')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=test=${peerUrl}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
    await waitFor('etcd /health', etcd, async () => {
      const r = await request(`${etcdUrl}/health`);
      return r.status === 200 && JSON.parse(r.body).health === 'true';
    });

    // ---- kube-apiserver ----------------------------------------------------
    const apiPort = await freePort();
    const server = `https://127.0.0.1:${apiPort}`;
    const certDir = path.join(dir, 'apiserver-certs');
    const caFile = path.join(certDir, 'apiserver.crt'); // self-signed: leaf + its own CA
    log('starting kube-apiserver');
    const apiserver = spawn('kube-apiserver', [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=1',
    ]);
    /** @type {Buffer | undefined} */
    let ca;
    await waitFor('kube-apiserver /readyz', apiserver, async () => {
      if (!ca) {
        if (!fs.existsSync(caFile)) return false;
        ca = fs.readFileSync(caFile);
      }
      const r = await request(`${server}/readyz`, { token: tokens.admin, ca });
      return r.status === 200;
    });
    /** @param {string} p */
    const get = p => request(`${server}${p}`, { token: tokens.admin, ca });

    // ---- kubeconfigs ---------------------------------------------------------
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfigPath, server, caFile, 'admin', tokens.admin);
    const kcmKubeconfig = path.join(dir, 'kube-controller-manager.kubeconfig');
    writeKubeconfig(
      kcmKubeconfig,
      server,
      caFile,
      'system:kube-controller-manager',
      tokens.kcm,
    );
    const schedKubeconfig = path.join(dir, 'kube-scheduler.kubeconfig');
    writeKubeconfig(
      schedKubeconfig,
      server,
      caFile,
      'system:kube-scheduler',
      tokens.scheduler,
    );
    const kwokKubeconfig = path.join(dir, 'kwok.kubeconfig');
    writeKubeconfig(kwokKubeconfig, server, caFile, 'kwok', tokens.kwok);

    // ---- controller-manager, scheduler, kwok ---------------------------------
    log('starting kube-controller-manager, kube-scheduler, kwok');
    const kcm = spawn('kube-controller-manager', [
      `--kubeconfig=${kcmKubeconfig}`,
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${caFile}`,
      '--use-service-account-credentials=true',
      '--leader-elect=false',
      '--secure-port=0',
      // Cloud-provider controllers are skipped by 1.35 itself (no in-tree cloud).
      '--controllers=*',
      '--v=1',
    ]);
    const scheduler = spawn('kube-scheduler', [
      `--kubeconfig=${schedKubeconfig}`,
      '--leader-elect=false',
      '--secure-port=0',
      '--v=1',
    ]);
    const kwokHome = path.join(dir, 'kwok-home'); // keeps ~/.kwok/kwok.yaml of the user out
    fs.mkdirSync(kwokHome);
    const kwok = spawn(
      'kwok',
      [
        `--kubeconfig=${kwokKubeconfig}`,
        `--config=${path.join(bin, 'kwok-stages.yaml')}`,
        `--manage-single-node=${NODE_NAME}`,
        '--cidr=10.244.0.0/16',
        '--node-ip=127.0.0.1',
        '--node-lease-duration-seconds=40',
      ],
      { HOME: kwokHome },
    );

    // ---- the fake node ---------------------------------------------------------
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: NODE_NAME,
        annotations: {
          'kwok.x-k8s.io/node': 'fake',
          'node.alpha.kubernetes.io/ttl': '0',
        },
        labels: {
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': NODE_NAME,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/role': 'agent',
          'node-role.kubernetes.io/agent': '',
          type: 'kwok',
        },
      },
      spec: {},
      status: {
        allocatable: { cpu: '32', memory: '256Gi', pods: '110' },
        capacity: { cpu: '32', memory: '256Gi', pods: '110' },
        nodeInfo: {
          architecture: 'amd64',
          kubeProxyVersion: 'fake',
          kubeletVersion: 'fake',
          operatingSystem: 'linux',
        },
        phase: 'Running',
      },
    };
    const created = await request(`${server}/api/v1/nodes`, {
      method: 'POST',
      token: tokens.admin,
      ca,
      body: node,
    });
    if (created.status !== 201) {
      throw failure(
        apiserver,
        `creating node ${NODE_NAME} failed: HTTP ${
          created.status
        } ${created.body.slice(0, 500)}`,
      );
    }

    await waitFor(`node ${NODE_NAME} Ready (kwok)`, kwok, async () => {
      const r = await get(`/api/v1/nodes/${NODE_NAME}`);
      if (r.status !== 200) return false;
      /** @type {{ status?: { conditions?: { type: string, status: string }[] } }} */
      const n = JSON.parse(r.body);
      return !!n.status?.conditions?.some(
        c => c.type === 'Ready' && c.status === 'True',
      );
    });
    await waitFor(
      'namespace default',
      apiserver,
      async () => (await get('/api/v1/namespaces/default')).status === 200,
    );
    await waitFor(
      'serviceaccount default/default (kube-controller-manager)',
      kcm,
      async () =>
        (
          await get('/api/v1/namespaces/default/serviceaccounts/default')
        ).status === 200,
    );
    void scheduler;
    log(
      `cluster ready in ${((Date.now() - t0) / 1000).toFixed(
        1,
      )}s at ${server} (dir ${dir})`,
    );

    return {
      server,
      token: tokens.admin,
      caFile,
      kubeconfigPath,
      binDir: bin,
      dir,
      nodeName: NODE_NAME,
      processes: procs.map(p => ({
        name: p.name,
        pid: /** @type {number} */ (p.child.pid),
      })),
      logTail: (name, lines = 40) =>
        tail(path.join(dir, `${name}.log`), lines, secrets),
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

module.exports = {
  startCluster,
  binDir,
  build,
  missingBinaries,
  BINARIES,
  FAIL_POD_LABEL,
  NODE_NAME,
};
