/**
 * Where the mirror keeps the remote's HEAD. Fetching it under our own name
 * means `HEAD` follows whatever the server calls its default branch.
 */
export const REMOTE_HEAD_REF = 'refs/gitops/HEAD';

/**
 * Why a target revision was refused, or undefined. Besides git's ref-name
 * rules this refuses revision syntax (`main~1`, `:/text`, `@{1}`), so a user
 * can only name a branch, a tag, a ref or a commit, as in Argo CD.
 */
export function checkTargetRevision(revision: string): string | undefined {
  if (revision.startsWith('-')) return 'revision must not start with "-"';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(revision)) {
    return `revision "${revision}" contains a character git does not allow in a name`;
  }
  if (
    revision.includes('..') ||
    revision.includes('@{') ||
    revision.includes('//') ||
    revision.startsWith('/') ||
    revision.endsWith('/') ||
    revision.endsWith('.') ||
    revision.endsWith('.lock')
  ) {
    return `revision "${revision}" is not a valid branch, tag or commit`;
  }
  return undefined;
}

export function isFullSha(revision: string): boolean {
  return /^[0-9a-f]{40}$/i.test(revision);
}

/**
 * The refs to try for a target revision, in Argo CD's order: `HEAD` means the
 * remote's default branch, then a branch, then a tag, then a (short) commit
 * SHA. A name that is both a branch and a tag resolves to the branch.
 */
export function revisionCandidates(revision: string): string[] {
  if (revision === '' || revision === 'HEAD') return [REMOTE_HEAD_REF];
  if (revision.startsWith('refs/')) return [revision];
  const candidates = [`refs/heads/${revision}`, `refs/tags/${revision}`];
  if (/^[0-9a-f]{4,40}$/i.test(revision)) {
    candidates.push(revision.toLowerCase());
  }
  return candidates;
}
