import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

// Run from the source tree by Jest, never bundled.
// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../../..');

export type ChildBackend = {
  logFile: string;
  /** SIGKILL to the process group: as a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM, as a rolling update does; resolves when it has exited. */
  stop(): Promise<void>;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real backend (childBackendMain.ts) in a process of its own, with
 * NODE_ENV=development as `backstage-cli package start` runs it, so that
 * the scheduler's janitor runs as in a deployment (it does not under
 * NODE_ENV=test). `config` is the whole app config besides the listen
 * address. Resolves once it answers its readiness check.
 */
export async function startChildBackend(
  config: Record<string, any>,
): Promise<ChildBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-child-'));
  const configFile = path.join(dir, 'app-config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      ...config,
      backend: {
        ...config.backend,
        baseUrl,
        listen: { port, host: '127.0.0.1' },
      },
    }),
  );
  const logFile = path.join(dir, 'backend.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      path.join(
        repoRoot,
        'node_modules/@backstage/cli/config/nodeTransform.cjs',
      ),
      path.join(__dirname, 'childBackendMain.ts'),
      '--config',
      configFile,
    ],
    {
      cwd: repoRoot,
      // A group of its own, so that its Git processes end with it.
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  // A whole group (the backend and its Git processes) is killed, as the
  // kernel kills a container; SIGTERM goes to the backend alone, as a
  // container runtime sends it to its main process.
  const signal = async (name: NodeJS.Signals, target: number) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(target, name);
    } catch {
      // already gone
    }
    await exited;
  };
  const backend: ChildBackend = {
    logFile,
    kill: () => signal('SIGKILL', -child.pid!),
    async stop() {
      const timer = setTimeout(() => signal('SIGKILL', -child.pid!), 30_000);
      await signal('SIGTERM', child.pid!);
      clearTimeout(timer);
      // Its Git processes, if any outlived it.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // none
      }
    },
  };
  try {
    await waitUntilReady(`${baseUrl}/.backstage/health/v1/readiness`, child);
  } catch (error) {
    await backend.kill();
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40);
    throw new Error(`${(error as Error).message}\n${tail.join('\n')}`);
  }
  return backend;
}

async function waitUntilReady(url: string, child: ChildProcess) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`backend exited with code ${child.exitCode}`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
  throw new Error(`backend was not ready at ${url} within 180 s`);
}
