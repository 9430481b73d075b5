import {
  hasUrlCredentials,
  maskUrlCredentials,
  normaliseRepoUrl,
} from './repoUrl';

describe('normaliseRepoUrl', () => {
  it.each([
    ['https://GitHub.com/org/Repo.git', 'https://github.com/org/Repo'],
    ['https://github.com/org/Repo/', 'https://github.com/org/Repo'],
    ['https://user:token@github.com/org/Repo', 'https://github.com/org/Repo'],
    ['git@GitHub.com:org/Repo.git', 'git@github.com:org/Repo'],
    ['ssh://git@Host:2222/org/repo.git', 'ssh://host:2222/org/repo'],
  ])('%s → %s', (url, expected) => {
    expect(normaliseRepoUrl(url)).toBe(expected);
  });
});

describe('maskUrlCredentials', () => {
  it.each([
    [
      'https://user:tok3n@git.example.com/a.git',
      'https://***@git.example.com/a.git',
    ],
    ['https://ghp_tok3n@github.com/a/b', 'https://***@github.com/a/b'],
    ['HTTP://u:p@host/a', 'HTTP://***@host/a'],
    ['ssh://git:s3cret@host:22/a', 'ssh://git:***@host:22/a'],
    ['fetching https://u:p@h/a failed', 'fetching https://***@h/a failed'],
  ])('%s → %s', (text, expected) => {
    expect(maskUrlCredentials(text)).toBe(expected);
    expect(hasUrlCredentials(text)).toBe(true);
  });

  it.each([
    'https://git.example.com/a.git',
    'git@github.com:org/repo.git',
    'ssh://git@host/a',
  ])('leaves %s alone', url => {
    expect(maskUrlCredentials(url)).toBe(url);
    expect(hasUrlCredentials(url)).toBe(false);
  });
});
