import {
  checkTargetRevision,
  REMOTE_HEAD_REF,
  revisionCandidates,
} from './revision';

describe('checkTargetRevision', () => {
  it.each(['main', 'HEAD', 'release/1.2', 'v1.0.0', 'feature_x-1', 'abc1234'])(
    'accepts %s',
    revision => expect(checkTargetRevision(revision)).toBeUndefined(),
  );

  it.each([
    '-main',
    'main~1',
    'main^',
    'main:path',
    ':/msg',
    'a..b',
    'main@{1}',
    'with space',
    'x.lock',
    'dir/',
    '/abs',
  ])('refuses %s', revision => {
    expect(checkTargetRevision(revision)).toEqual(expect.any(String));
  });
});

describe('revisionCandidates', () => {
  it('maps HEAD and the empty revision to the remote default branch', () => {
    expect(revisionCandidates('HEAD')).toEqual([REMOTE_HEAD_REF]);
    expect(revisionCandidates('')).toEqual([REMOTE_HEAD_REF]);
  });

  it('tries a branch before a tag', () => {
    expect(revisionCandidates('v1')).toEqual(['refs/heads/v1', 'refs/tags/v1']);
  });

  it('also tries hex names as a commit', () => {
    expect(revisionCandidates('BEEF12')).toEqual([
      'refs/heads/BEEF12',
      'refs/tags/BEEF12',
      'beef12',
    ]);
  });

  it('takes full ref names as they are', () => {
    expect(revisionCandidates('refs/tags/v1')).toEqual(['refs/tags/v1']);
  });
});
