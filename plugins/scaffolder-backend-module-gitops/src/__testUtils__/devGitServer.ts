import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

// The repository's own example Git server (scripts/dev-git-server.js), which
// the template pushes to; tests run from the source tree.
// eslint-disable-next-line no-restricted-syntax
const script = path.resolve(__dirname, '../../../../scripts/dev-git-server.js');

/** Starts the example Git server on a free port: `<url>` is its apps.git. */
export async function startDevGitServer(): Promise<{
  url: string;
  stop(): Promise<void>;
}> {
  const child: ChildProcess = spawn(process.execPath, [script, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/apps\.git)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', code =>
      reject(new Error(`dev git server exited (${code}): ${output}`)),
    );
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
