import { GitError, GitPluginError } from 'simple-git';
import { classifyGitMessage, toRepositoryError } from './gitErrors';

const context = {
  action: 'fetching',
  url: 'https://user:pw@git.example.com/org/repo.git',
  secrets: ['tok-secret-1'],
  timeoutMs: 5000,
};

describe('classifyGitMessage', () => {
  it.each([
    [
      "fatal: could not read Username for 'https://x': terminal prompts disabled",
      'Auth',
    ],
    ["fatal: Authentication failed for 'https://x/'", 'Auth'],
    ['The requested URL returned error: 403', 'Auth'],
    ['git@x: Permission denied (publickey).', 'Auth'],
    [
      "remote: Repository not found.\nfatal: repository 'https://x/' not found",
      'NotFound',
    ],
    ['fatal: the remote end hung up unexpectedly', 'GitFailed'],
  ])('%s → %s', (message, code) => {
    expect(classifyGitMessage(message)).toBe(code);
  });
});

describe('toRepositoryError', () => {
  it('reports a timeout with the deadline', () => {
    const error = toRepositoryError(
      new GitPluginError(undefined, 'timeout', 'block timeout reached'),
      context,
    );
    expect(error.code).toBe('Timeout');
    expect(error.message).toBe(
      'fetching https://***@git.example.com/org/repo.git timed out after 5s',
    );
  });

  it('keeps git’s words but not the secrets in them', () => {
    const error = toRepositoryError(
      new GitError(
        undefined,
        "hint: try again\nfatal: unable to access 'https://user:pw@git.example.com/': header tok-secret-1 refused\n",
      ),
      context,
    );

    expect(error.code).toBe('GitFailed');
    expect(error.message).not.toContain('tok-secret-1');
    expect(error.message).not.toContain(':pw@');
    expect(error.message).not.toContain('hint:');
    expect(error.message).toContain('unable to access');
  });
});
