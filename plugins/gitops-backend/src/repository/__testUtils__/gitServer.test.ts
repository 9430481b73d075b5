import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startGitServer, TestGitServer } from './gitServer';
import { createTestRepo } from './testRepo';

const run = promisify(execFile);
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
};

describe('test git server', () => {
  let server: TestGitServer | undefined;
  afterEach(() => server?.close());

  it('serves a repository to a plain git client and logs the fetch', async () => {
    server = await startGitServer();
    const repo = await createTestRepo(server, 'plain');
    const sha = await repo.commit({ 'a.yaml': 'a: 1\n' });

    const { stdout } = await run('git', ['ls-remote', repo.url, 'HEAD'], {
      env,
    });

    expect(stdout).toContain(sha);
    expect(server.fetchCount('plain')).toBe(1);
  });

  it('requires the token when configured', async () => {
    server = await startGitServer({ token: 's3cret-token' });
    const repo = await createTestRepo(server, 'private');
    await repo.commit({ 'a.yaml': 'a: 1\n' });
    const withHeader = (token: string) => [
      '-c',
      `http.extraHeader=Authorization: Basic ${Buffer.from(
        `git:${token}`,
      ).toString('base64')}`,
      'ls-remote',
      repo.url,
    ];

    await expect(
      run('git', withHeader('s3cret-token'), { env }),
    ).resolves.toBeDefined();
    await expect(run('git', withHeader('wrong'), { env })).rejects.toThrow();
    await expect(
      run('git', ['ls-remote', repo.url], { env }),
    ).rejects.toThrow();
  });
});
