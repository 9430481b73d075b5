import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

// These helpers run from the source tree, never from a bundle.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = path.resolve(__dirname, '../../../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningBackend = {
  baseUrl: string;
  logFile: string;
  stop(): Promise<void>;
};

/**
 * Starts the real backend package (packages/backend) on a free port, serving
 * the built frontend, and resolves once it answers its readiness check.
 * `config` is merged over app-config.yaml (arrays replace arrays).
 */
export async function startBackend(
  config: Record<string, unknown> = {},
): Promise<RunningBackend> {
  const dist = path.join(repoRoot, 'packages/app/dist/index.html');
  if (!fs.existsSync(dist)) {
    throw new Error(
      `The frontend is not built (${dist} is missing): run "yarn workspace app build" first`,
    );
  }
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-e2e-'));
  const configFile = path.join(dir, 'app-config.e2e.yaml');
  // JSON is YAML, and spares us a YAML writer.
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      ...config,
      app: { baseUrl },
      backend: {
        ...(config.backend as Record<string, unknown> | undefined),
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        cors: { origin: baseUrl },
      },
    }),
  );
  const logFile = path.join(dir, 'backend.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/@backstage/cli/bin/backstage-cli'),
      'package',
      'start',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: path.join(repoRoot, 'packages/backend'),
      // A group of its own, so stop() also ends the watcher's children.
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );

  const stop = () => stopGroup(child);
  try {
    await waitUntilReady(
      `${baseUrl}/.backstage/health/v1/readiness`,
      child,
      logFile,
    );
  } catch (error) {
    await stop();
    const tail = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter(line => !line.includes('/.backstage/health'))
      .slice(-30);
    throw new Error(`${(error as Error).message}\n${tail.join('\n')}`);
  }
  return { baseUrl, logFile, stop };
}

async function waitUntilReady(
  url: string,
  child: ChildProcess,
  logFile: string,
) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`backend exited with code ${child.exitCode}`);
    }
    // A failed plugin leaves the process up but never ready: fail at once.
    if (fs.readFileSync(logFile, 'utf8').includes('Backend startup failed')) {
      throw new Error('backend startup failed');
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(`backend was not ready at ${url} within 120 s`);
}

async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}
