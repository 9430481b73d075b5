import { execFile, ExecFileException } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RepositoryError } from './errors';
import { redactSecrets } from './sanitise';

/** @public The rendering tools the repository service runs. */
export type ToolName = 'helm' | 'kustomize' | 'jsonnet';

/**
 * @public Where each tool's binary is; a bare name is looked up on the
 * backend's PATH. Defaults to `helm`, `kustomize` and `jsonnet`.
 */
export type ToolPaths = Partial<Record<ToolName, string>>;

/** @public */
export interface ToolLimits {
  /** Deadline of one tool run, output or not. */
  timeoutMs: number;
  /** Most bytes a tool may print on stdout (and on stderr) before it is killed. */
  maxOutputBytes: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  timeoutMs: 90_000,
  maxOutputBytes: 32 * 1024 * 1024,
};

export interface ToolRunOptions {
  cwd: string;
  /** Directories whose absolute paths are cut from messages (workspaces). */
  scrub?: string[];
  /** Repository-relative file the run is about, for the error. */
  file?: string;
}

/** Runs a rendering tool; every failure is a RepositoryError naming it. */
export interface ToolRunner {
  run(tool: ToolName, args: string[], options: ToolRunOptions): Promise<string>;
}

// Go programs honour these; a proxy nobody listens on makes any attempt of
// helm or kustomize to reach the network fail at once instead of fetching.
const NO_NETWORK_PROXY = 'http://127.0.0.1:9';
const MAX_MESSAGE_LINES = 8;
const MAX_MESSAGE_CHARS = 800;

/**
 * The only way this folder starts helm, kustomize or jsonnet: `execFile` with
 * an argument array (never a shell), a deadline, a cap on output, and an
 * environment of its own. The backend's variables (database passwords,
 * tokens) are not passed on, and HOME is a fresh empty directory, so the
 * tools read no user config, repository credentials or plugins; git, which
 * kustomize would start for a remote base, may use no protocol at all.
 */
export function createToolRunner(
  options: { tools?: ToolPaths; limits?: Partial<ToolLimits> } = {},
): ToolRunner {
  const limits = { ...DEFAULT_TOOL_LIMITS, ...options.limits };
  return {
    async run(tool, args, { cwd, scrub = [], file }) {
      const command = options.tools?.[tool] ?? tool;
      const home = await mkdtemp(join(tmpdir(), 'gitops-tool-home-'));
      try {
        return await new Promise<string>((resolve, reject) => {
          execFile(
            command,
            args,
            {
              cwd,
              env: toolEnv(home),
              timeout: limits.timeoutMs,
              killSignal: 'SIGKILL',
              maxBuffer: limits.maxOutputBytes,
              encoding: 'utf8',
              shell: false,
              windowsHide: true,
            },
            (error, stdout, stderr) => {
              if (!error) {
                resolve(stdout);
                return;
              }
              reject(
                toolError(tool, command, error, stderr, {
                  file,
                  scrub: [...scrub, home],
                  limits,
                }),
              );
            },
          );
        });
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    },
  };
}

function toolEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    HELM_CONFIG_HOME: join(home, 'helm', 'config'),
    HELM_CACHE_HOME: join(home, 'helm', 'cache'),
    HELM_DATA_HOME: join(home, 'helm', 'data'),
    KUBECONFIG: join(home, 'no-kubeconfig'),
    LC_ALL: 'C',
    HTTP_PROXY: NO_NETWORK_PROXY,
    HTTPS_PROXY: NO_NETWORK_PROXY,
    ALL_PROXY: NO_NETWORK_PROXY,
    NO_PROXY: '',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'protocol.allow',
    GIT_CONFIG_VALUE_0: 'never',
  };
}

function toolError(
  tool: ToolName,
  command: string,
  error: ExecFileException,
  stderr: string,
  context: { file?: string; scrub: string[]; limits: ToolLimits },
): RepositoryError {
  const { file, limits } = context;
  if (error.code === 'ENOENT' || error.code === 'EACCES') {
    return new RepositoryError(
      'ToolMissing',
      `${tool} is not installed or not executable ("${command}"): install it on the backend's PATH, or set the repository service's tools.${tool} option to its path`,
      { file },
    );
  }
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return new RepositoryError(
      'TooLarge',
      `${tool} printed more than ${limits.maxOutputBytes} bytes`,
      { file },
    );
  }
  // Only the deadline makes Node kill the child (the output cap is above).
  if (error.killed) {
    return new RepositoryError(
      'Timeout',
      `${tool} did not finish within ${
        limits.timeoutMs < 1000
          ? `${limits.timeoutMs}ms`
          : `${Math.round(limits.timeoutMs / 1000)}s`
      }`,
      { file },
    );
  }
  const text = shorten(scrubPaths(stderr, context.scrub));
  const status = error.signal
    ? `was killed by ${error.signal}`
    : `failed with exit code ${error.code}`;
  return new RepositoryError(
    'ToolFailed',
    text ? `${tool} failed: ${text}` : `${tool} ${status}`,
    { file },
  );
}

/** Temporary directories mean nothing to users: show repository paths. */
export function scrubPaths(text: string, dirs: readonly string[]): string {
  let result = text;
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    result = result.split(`${dir}/`).join('').split(dir).join('.');
  }
  return result;
}

/** The first lines of a tool's message, without colours or secrets. */
export function shorten(text: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = redactSecrets(text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''))
    .replace(/[^\S\n]+/g, ' ')
    .trim();
  const lines = plain.split('\n').filter(line => line.trim() !== '');
  let result = lines.slice(0, MAX_MESSAGE_LINES).join('\n');
  if (lines.length > MAX_MESSAGE_LINES) result += '\n…';
  return result.length > MAX_MESSAGE_CHARS
    ? `${result.slice(0, MAX_MESSAGE_CHARS)}…`
    : result;
}
