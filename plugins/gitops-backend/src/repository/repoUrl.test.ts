import { mirrorDirName, normaliseAppPath, normaliseRepoUrl } from './repoUrl';

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

describe('mirrorDirName', () => {
  it('is the same hash for spellings of one repository, different for others', () => {
    const name = mirrorDirName('https://github.com/org/repo');
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(mirrorDirName('https://GITHUB.com/org/repo.git/')).toBe(name);
    expect(mirrorDirName('https://github.com/org/other')).not.toBe(name);
  });
});

describe('normaliseAppPath', () => {
  it.each([
    ['', ''],
    ['.', ''],
    ['./apps/web/', 'apps/web'],
    ['apps//web', 'apps/web'],
  ])('%j → %j', (path, expected) => {
    expect(normaliseAppPath(path)).toBe(expected);
  });

  it.each(['../secrets', 'apps/../../x', '/etc'])('refuses %s', path => {
    expect(() => normaliseAppPath(path)).toThrow(
      expect.objectContaining({ code: 'PathEscape' }),
    );
  });

  it('refuses control characters', () => {
    expect(() => normaliseAppPath('apps\nweb')).toThrow(
      expect.objectContaining({ code: 'InvalidPath' }),
    );
  });
});
