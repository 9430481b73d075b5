import { normaliseRepoUrl } from './repoUrl';

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
