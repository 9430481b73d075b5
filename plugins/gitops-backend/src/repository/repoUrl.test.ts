import { fetchKey, mirrorDirName, normaliseAppPath } from './repoUrl';

describe('mirrorDirName', () => {
  it('is the same hash for spellings of one repository, different for others', () => {
    const name = mirrorDirName('https://github.com/org/repo');
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(mirrorDirName('https://GITHUB.com/org/repo.git/')).toBe(name);
    expect(mirrorDirName('https://github.com/org/other')).not.toBe(name);
  });
});

describe('fetchKey', () => {
  it('is shared by spellings of one URL, not by different credentials in it', () => {
    const key = fetchKey('https://github.com/org/repo');
    expect(fetchKey('https://GITHUB.com/org/repo.git/')).toBe(key);
    const withToken = fetchKey('https://git:t0ken@github.com/org/repo');
    expect(withToken).not.toBe(key);
    expect(fetchKey('https://git:other@github.com/org/repo')).not.toBe(
      withToken,
    );
    expect(fetchKey('https://git:t0ken@github.com/org/repo.git')).toBe(
      withToken,
    );
    expect(withToken).not.toContain('t0ken');
    expect(fetchKey('git@github.com:org/repo.git')).toBe(
      fetchKey('git@github.com:org/repo'),
    );
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
