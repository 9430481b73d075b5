import { createHash } from 'node:crypto';
import {
  checkRepoPath,
  checkRepoUrl,
  normaliseRepoUrl,
} from '@backstage-gitops/plugin-gitops-common';
import { RepositoryError } from './errors';
import { displayUrl } from './sanitise';

/** The mirror's directory name: opaque, fixed length and safe on any disk. */
export function mirrorDirName(url: string): string {
  return createHash('sha256').update(normaliseRepoUrl(url)).digest('hex');
}

/**
 * Which fetches may stand in for each other: the same mirror and the same
 * credentials written into the URL (hashed, so they are never kept as text).
 */
export function fetchKey(url: string): string {
  let userinfo = '';
  try {
    const parsed = new URL(url);
    userinfo = `${parsed.username}:${parsed.password}`;
  } catch {
    // scp-like `git@host:org/repo`: its user stays in the normalised URL.
  }
  return createHash('sha256')
    .update(`${normaliseRepoUrl(url)}\0${userinfo}`)
    .digest('hex');
}

export function assertRepoUrl(url: string, allowHttp: boolean): void {
  const problem = checkRepoUrl(url, { allowHttp });
  if (problem) {
    throw new RepositoryError('InvalidUrl', problem, {
      repoUrl: displayUrl(url),
    });
  }
}

/**
 * The application path in the form git's `<commit>:<path>` syntax expects:
 * no leading `./`, no trailing slash, and `''` for the repository root.
 */
export function normaliseAppPath(path: string): string {
  const problem = checkRepoPath(path);
  if (problem) throw new RepositoryError('PathEscape', problem, { file: path });
  // Newlines would break git's line-based batch input; NUL cannot be passed.
  if (/[\n\r\0]/.test(path)) {
    throw new RepositoryError(
      'InvalidPath',
      'path contains a control character',
    );
  }
  const parts = path.split('/').filter(part => part !== '' && part !== '.');
  return parts.join('/');
}
