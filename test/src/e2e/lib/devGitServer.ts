import { ChildProcess, spawn } from 'child_process';
import { freePort, repoRoot } from './backend';
import path from 'path';

/** scripts/dev-git-server.js on a free port: the example apps over HTTP. */
export async function startDevGitServer(): Promise<{
  url: string;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, 'scripts/dev-git-server.js'), '--port', `${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
