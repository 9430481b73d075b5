import { maskUrlCredentials } from '@backstage-gitops/plugin-gitops-common';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitCredentials } from './credentials';

const run = promisify(execFile);

/** What a commit changed on the remote. */
export type CommitResult = { commit: string; changed: boolean };

/**
 * Clones one branch of a repository, lets `write` change the checkout, and
 * pushes the result as one commit. Git does the protocol (any http(s) or ssh
 * host); the token travels as an `http.extraHeader` in the environment, never
 * in the URL or the arguments, and is scrubbed from every error message.
 */
export async function commitToRepository(options: {
  repoUrl: string;
  branch: string;
  message: string;
  author: { name: string; email: string };
  credentials?: GitCredentials;
  write: (checkout: string) => Promise<void>;
}): Promise<CommitResult> {
  const { repoUrl, branch, credentials } = options;
  const secrets: string[] = [];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    // Only the transports a Git host speaks: never ext:: (runs commands) or file.
    GIT_ALLOW_PROTOCOL: 'https:http:ssh',
    GIT_AUTHOR_NAME: options.author.name,
    GIT_AUTHOR_EMAIL: options.author.email,
    GIT_COMMITTER_NAME: options.author.name,
    GIT_COMMITTER_EMAIL: options.author.email,
  };
  if (credentials) {
    const basic = Buffer.from(
      `${credentials.username}:${credentials.token}`,
    ).toString('base64');
    Object.assign(env, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    });
    secrets.push(credentials.token, basic);
  }
  const dir = await mkdtemp(join(tmpdir(), 'gitops-push-'));
  const checkout = join(dir, 'repo');
  const git = async (args: string[], cwd = checkout) => {
    try {
      const { stdout } = await run('git', args, { cwd, env, timeout: 120_000 });
      return stdout.trim();
    } catch (error) {
      const text = `${(error as { stderr?: string }).stderr || ''}`.trim();
      throw new Error(
        scrub(`git ${args[0]} failed: ${text || (error as Error).message}`, [
          ...secrets,
        ]),
      );
    }
  };
  try {
    // "--" ends the options: the URL was checked, but never let it be one.
    await git(
      [
        'clone',
        '-q',
        '--depth',
        '1',
        '--branch',
        branch,
        '--',
        repoUrl,
        checkout,
      ],
      dir,
    );
    await options.write(checkout);
    await git(['add', '-A']);
    if (!(await git(['status', '--porcelain']))) {
      return { commit: await git(['rev-parse', 'HEAD']), changed: false };
    }
    await git(['commit', '-q', '-m', options.message]);
    await git(['push', '-q', 'origin', `HEAD:refs/heads/${branch}`]);
    return { commit: await git(['rev-parse', 'HEAD']), changed: true };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Git's command line, quoted in the error, holds the URL as written.
function scrub(text: string, secrets: string[]): string {
  return maskUrlCredentials(
    secrets.reduce((t, s) => t.split(s).join('***'), text),
  );
}
