import { GitError, GitPluginError } from 'simple-git';
import { RepositoryError, RepositoryErrorCode } from './errors';
import { displayUrl, redactSecrets } from './sanitise';

const AUTH_PATTERNS = [
  /authentication failed/i,
  /could not read (username|password)/i,
  /terminal prompts disabled/i,
  /returned error: 40[13]\b/i,
  /\bHTTP (status )?40[13]\b/i,
  /permission denied \(publickey/i,
  /host key verification failed/i,
];

const NOT_FOUND_PATTERNS = [
  /repository '.*' not found/i,
  /repository not found/i,
  /does not appear to be a git repository/i,
  /returned error: 404\b/i,
];

export function classifyGitMessage(message: string): RepositoryErrorCode {
  if (AUTH_PATTERNS.some(pattern => pattern.test(message))) return 'Auth';
  if (NOT_FOUND_PATTERNS.some(pattern => pattern.test(message))) {
    return 'NotFound';
  }
  return 'GitFailed';
}

const SUMMARIES: Partial<Record<RepositoryErrorCode, string>> = {
  Auth: 'authentication failed',
  NotFound: 'repository not found',
};

export interface GitErrorContext {
  /** What we were doing, for the message: `fetching`, `reading`. */
  action: string;
  url: string;
  secrets: readonly string[];
  timeoutMs: number;
}

/**
 * Turns whatever simple-git threw into a RepositoryError whose message says
 * what failed, for which repository, with git's own words minus secrets.
 */
export function toRepositoryError(
  error: unknown,
  context: GitErrorContext,
): RepositoryError {
  if (error instanceof RepositoryError) return error;
  const repoUrl = displayUrl(context.url);
  if (error instanceof GitPluginError && error.plugin === 'timeout') {
    return new RepositoryError(
      'Timeout',
      `${context.action} ${repoUrl} timed out after ${Math.round(
        context.timeoutMs / 1000,
      )}s`,
      { repoUrl },
    );
  }
  const raw = error instanceof Error ? error.message : String(error);
  const text = redactSecrets(raw, context.secrets)
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('hint:'))
    .join('; ')
    .slice(0, 500);
  const code =
    error instanceof GitError ? classifyGitMessage(raw) : 'GitFailed';
  const what = SUMMARIES[code] ? `${SUMMARIES[code]} (${text})` : text;
  return new RepositoryError(code, `${context.action} ${repoUrl}: ${what}`, {
    repoUrl,
  });
}
