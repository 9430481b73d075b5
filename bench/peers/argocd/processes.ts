// Starts redis, Argo CD's repo server and its application controller on
// loopback, as Argo CD's own Procfile runs them for local development
// (ARGOCD_FAKE_IN_CLUSTER: the in-cluster destination is the kubeconfig's
// cluster), with free ports so that parallel runs do not collide.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ARGOCD_NAMESPACE = 'argocd';

export interface PeerProcess {
  label: string;
  pid: number;
  logFile: string;
}

export interface ArgoCd {
  binDir: string;
  processes: PeerProcess[];
  /** The last lines of every log, for an error report. */
  logTails(lines?: number): string;
  stop(): Promise<void>;
}

const BUILD_SCRIPT = resolve(__dirname, 'build.sh');

/** The bin dir of build.sh; throws with the command to run when it is not built. */
export function argoCdBinDir(): string {
  const dir = execFileSync('bash', [BUILD_SCRIPT, '--print-bin-dir'], {
    encoding: 'utf8',
  }).trim();
  if (!existsSync(join(dir, '.argocd.ok'))) {
    throw new Error(
      `Argo CD is not built yet: run 'bash bench/peers/argocd/build.sh' (15-30 minutes on 2 cores)`,
    );
  }
  return dir;
}

function redisServer(): string {
  for (const dir of (process.env.PATH ?? '')
    .split(':')
    .concat('/usr/bin', '/usr/sbin')) {
    if (existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  throw new Error(
    "redis-server is not installed: run 'bash scripts/setup.sh --bench' (Debian package redis-server)",
  );
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        ok(typeof address === 'object' && address ? address.port : 0),
      );
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${what} exited with ${child.exitCode}`);
    const open = await new Promise<boolean>(ok => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.on('connect', () => {
        socket.destroy();
        ok(true);
      });
      socket.on('error', () => ok(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`${what} did not listen on ${port}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

export async function startArgoCd(options: {
  kubeconfigPath: string;
  workDir: string;
}): Promise<ArgoCd> {
  const binDir = argoCdBinDir();
  const { kubeconfigPath, workDir } = options;
  const children: { label: string; child: ChildProcess; logFile: string }[] =
    [];
  const dirs = ['tls', 'ssh', 'gpg', 'plugins', 'tmp'].map(d =>
    join(workDir, d),
  );
  dirs.forEach(d => mkdirSync(d, { recursive: true }));
  const [tls, ssh, gpg, plugins, tmp] = dirs;
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: workDir,
    TMPDIR: tmp,
    KUBECONFIG: kubeconfigPath,
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    // One controller: the StatefulSet's first replica, shard 0.
    HOSTNAME: 'argocd-application-controller-0',
    ARGOCD_TLS_DATA_PATH: tls,
    ARGOCD_SSH_DATA_PATH: ssh,
    ARGOCD_GNUPGHOME: gpg,
    ARGOCD_GPG_ENABLED: 'false',
    ARGOCD_PLUGINSOCKFILEPATH: plugins,
  };
  const run = (label: string, command: string, args: string[]) => {
    const logFile = join(workDir, `${label}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    children.push({ label, child, logFile });
    return child;
  };

  const stop = async () => {
    for (const { child } of [...children].reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise(r => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    }
  };
  const logTails = (lines = 20) =>
    children
      .map(({ label, logFile }) => {
        const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        return `--- ${label} ---\n${text.split('\n').slice(-lines).join('\n')}`;
      })
      .join('\n');

  try {
    const redisPort = await freePort();
    const redis = run('redis', redisServer(), [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    await waitForPort(redisPort, redis, 'redis-server');
    const redisAddress = `127.0.0.1:${redisPort}`;

    const [repoPort, repoMetricsPort, controllerMetricsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const repoServer = run('repo-server', join(binDir, 'argocd-repo-server'), [
      '--address',
      '127.0.0.1',
      '--port',
      String(repoPort),
      '--metrics-address',
      '127.0.0.1',
      '--metrics-port',
      String(repoMetricsPort),
      '--redis',
      redisAddress,
      '--disable-tls',
    ]);
    await waitForPort(repoPort, repoServer, 'argocd-repo-server');

    const controller = run(
      'application-controller',
      join(binDir, 'argocd-application-controller'),
      [
        '--kubeconfig',
        kubeconfigPath,
        '--namespace',
        ARGOCD_NAMESPACE,
        '--redis',
        redisAddress,
        '--repo-server',
        `127.0.0.1:${repoPort}`,
        '--repo-server-plaintext',
        '--metrics-port',
        String(controllerMetricsPort),
      ],
    );
    await waitForPort(
      controllerMetricsPort,
      controller,
      'argocd-application-controller',
    );
    return {
      binDir,
      processes: children.map(({ label, child, logFile }) => ({
        label,
        pid: child.pid!,
        logFile,
      })),
      logTails,
      stop,
    };
  } catch (error) {
    const tails = logTails();
    await stop();
    throw new Error(`${(error as Error).message}\n${tails}`);
  }
}
