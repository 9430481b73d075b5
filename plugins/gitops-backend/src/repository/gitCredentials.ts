import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** @public */
export interface RepoCredentials {
  /** Defaults to `git` when only a token is given; hosts ignore it then. */
  username?: string;
  /** A password or access token for https. */
  token?: string;
  /** A private key in OpenSSH format for ssh URLs. */
  sshKey?: string;
}

/** @public */
export type CredentialsProvider = (
  url: string,
) => Promise<RepoCredentials | undefined>;

export interface PreparedCredentials {
  env: Record<string, string>;
  /** Strings to scrub from anything git prints. */
  secrets: string[];
  dispose(): Promise<void>;
}

// Without BatchMode ssh would ask for a passphrase or a host key on the
// terminal and hang until the timeout; GIT_TERMINAL_PROMPT does not cover it.
const SSH_BASE = 'ssh -o BatchMode=yes';

/**
 * Turns credentials into environment for one git process. The token travels
 * as `http.extraHeader` set through GIT_CONFIG_COUNT/KEY/VALUE rather than
 * `-c` on the command line: arguments are visible to every local user in the
 * process list, the environment only to our own user. It is never put in the
 * URL, so git cannot echo it in its messages or store it in the mirror.
 */
export async function prepareCredentials(
  credentials: RepoCredentials | undefined,
): Promise<PreparedCredentials> {
  const env: Record<string, string> = { GIT_SSH_COMMAND: SSH_BASE };
  const secrets: string[] = [];
  let keyDir: string | undefined;

  if (credentials?.token) {
    const basic = Buffer.from(
      `${credentials.username ?? 'git'}:${credentials.token}`,
    ).toString('base64');
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
    secrets.push(credentials.token, basic);
  }
  if (credentials?.sshKey) {
    keyDir = await mkdtemp(join(tmpdir(), 'gitops-ssh-'));
    const keyFile = join(keyDir, 'key');
    // ssh refuses keys that other users can read.
    await writeFile(keyFile, ensureTrailingNewline(credentials.sshKey), {
      mode: 0o600,
    });
    env.GIT_SSH_COMMAND = `${SSH_BASE} -o IdentitiesOnly=yes -i ${shellQuote(
      keyFile,
    )}`;
    secrets.push(credentials.sshKey);
  }

  return {
    env,
    secrets,
    async dispose() {
      if (keyDir) await rm(keyDir, { recursive: true, force: true });
    },
  };
}

function ensureTrailingNewline(key: string): string {
  return key.endsWith('\n') ? key : `${key}\n`;
}

// git runs GIT_SSH_COMMAND through the shell.
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
