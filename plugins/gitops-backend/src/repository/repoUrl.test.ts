import { mirrorDirName, normaliseAppPath } from './repoUrl';

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
