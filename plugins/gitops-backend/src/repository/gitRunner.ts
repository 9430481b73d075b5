import { simpleGit, SimpleGit } from 'simple-git';
import { prepareCredentials, RepoCredentials } from './gitCredentials';
import { toRepositoryError } from './gitErrors';

export interface GitRunOptions {
  /** Text fed to git's stdin, for `cat-file --batch`. */
  input?: string;
  /** For messages; and the repository whose credentials, if any, to send. */
  url: string;
  /** Only for commands that talk to the remote. */
  credentials?: RepoCredentials;
  /** For messages: `fetching`, `reading`. */
  action: string;
}

/** Runs one git command; every failure is a sanitised RepositoryError. */
export interface GitRunner {
  text(cwd: string, args: string[], options: GitRunOptions): Promise<string>;
  /** `git cat-file <args>` with its stdout untouched, for binary blobs. */
  catFileBinary(
    cwd: string,
    args: string[],
    options: GitRunOptions,
  ): Promise<Buffer>;
}

export interface GitRunnerOptions {
  timeoutMs: number;
  allowHttp: boolean;
}

/**
 * Creates the only way this folder starts git. Each command gets a deadline
 * (the timer is not reset by output, so a server trickling bytes cannot hold
 * a fetch open forever), no terminal prompts, no system or user config (their
 * credential helpers, `url.insteadOf` rewrites and proxies are not ours), and
 * only the https and ssh transports (plus http when enabled).
 */
export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const config = [
    'protocol.allow=never',
    'protocol.https.allow=always',
    'protocol.ssh.allow=always',
    ...(options.allowHttp ? ['protocol.http.allow=always'] : []),
  ];

  async function run<T>(
    cwd: string,
    runOptions: GitRunOptions,
    task: (git: SimpleGit) => Promise<T>,
  ): Promise<T> {
    const prepared = await prepareCredentials(runOptions.credentials);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // ssh reads known_hosts from the home directory.
      HOME: process.env.HOME ?? '/nonexistent',
      // Git's messages are classified by their English text.
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      ...prepared.env,
    };
    const input = runOptions.input;
    const git = simpleGit({
      baseDir: cwd,
      config,
      timeout: { block: options.timeoutMs, stdOut: false, stdErr: false },
      // Each flag below permits a setting we make ourselves, never user input.
      unsafe: {
        allowUnsafeProtocolOverride: true,
        allowUnsafeConfigPaths: true,
        allowUnsafeConfigEnvCount: true,
        allowUnsafeSshCommand: true,
      },
      allowEnvironment: Object.keys(env),
      input: input === undefined ? undefined : () => input,
    }).env(env);
    try {
      return await task(git);
    } catch (error) {
      throw toRepositoryError(error, {
        action: runOptions.action,
        url: runOptions.url,
        secrets: prepared.secrets,
        timeoutMs: options.timeoutMs,
      });
    } finally {
      await prepared.dispose();
    }
  }

  return {
    text: (cwd, args, runOptions) => run(cwd, runOptions, git => git.raw(args)),
    catFileBinary: (cwd, args, runOptions) =>
      run(cwd, runOptions, async git => {
        const output: unknown = await git.binaryCatFile(args);
        if (!Buffer.isBuffer(output)) {
          throw new Error('git cat-file did not return binary output');
        }
        return output;
      }),
  };
}
