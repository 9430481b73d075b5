import { execFile } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { TestGitServer } from './gitServer';

const run = promisify(execFile);

/** A file's content, a symlink, or `null` to delete the path. */
export type FileSpec = string | Buffer | { symlink: string } | null;

export interface TestRepo {
  url: string;
  /** Writes the files on top of the previous commit, commits, returns the SHA. */
  commit(files: Record<string, FileSpec>, message?: string): Promise<string>;
  branch(name: string, sha: string): Promise<void>;
  /** Returns the SHA of the tag object for annotated tags, else the commit. */
  tag(
    name: string,
    sha: string,
    options?: { annotated?: boolean },
  ): Promise<string>;
  /** Points the server's HEAD, the default branch, at another branch. */
  setHead(branch: string): Promise<void>;
}

const GIT_ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

/** A bare repository served by `server`, with a work tree to commit from. */
export async function createTestRepo(
  server: TestGitServer,
  name: string,
): Promise<TestRepo> {
  const gitDir = join(server.root, `${name}.git`);
  // Inside the server's root, so closing the server removes it too.
  const work = join(server.root, '.work', name);
  await mkdir(work, { recursive: true });
  const git = async (...args: string[]) =>
    (
      await run(
        'git',
        [`--git-dir=${gitDir}`, `--work-tree=${work}`, ...args],
        {
          env: GIT_ENV,
        },
      )
    ).stdout.trim();
  await run(
    'git',
    ['init', '--bare', '--quiet', '--initial-branch=main', gitDir],
    {
      env: GIT_ENV,
    },
  );

  return {
    url: server.url(name),
    async commit(files, message = 'change') {
      for (const [path, spec] of Object.entries(files)) {
        const target = join(work, path);
        await rm(target, { recursive: true, force: true });
        if (spec === null) continue;
        await mkdir(dirname(target), { recursive: true });
        if (typeof spec === 'object' && !Buffer.isBuffer(spec)) {
          await symlink(spec.symlink, target);
        } else {
          await writeFile(target, spec);
        }
      }
      await git('add', '--all');
      await git('commit', '--quiet', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    async branch(branchName, sha) {
      await git('update-ref', `refs/heads/${branchName}`, sha);
    },
    async tag(tagName, sha, options = {}) {
      if (options.annotated) {
        await git('tag', '-a', '-m', tagName, tagName, sha);
      } else {
        await git('tag', tagName, sha);
      }
      return git('rev-parse', `refs/tags/${tagName}`);
    },
    async setHead(branchName) {
      await git('symbolic-ref', 'HEAD', `refs/heads/${branchName}`);
    },
  };
}
