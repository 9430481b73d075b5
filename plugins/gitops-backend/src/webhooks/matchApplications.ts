import {
  ApplicationDefinition,
  normaliseRepoUrl,
} from '@backstage-gitops/plugin-gitops-common';
import { PushEvent } from './parsePush';

/**
 * One form for comparing a pushed repository with applications' URLs: no
 * credentials, `.git` or trailing slash, lowercase (hosts treat repository
 * paths case-insensitively for this purpose, as Argo CD does), and an scp-like
 * `git@host:org/repo` written as `host/org/repo` like the https form.
 */
export function repoKey(url: string): string {
  const normal = normaliseRepoUrl(url.trim()).toLowerCase();
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.*)$/.exec(normal);
  if (scp) return `${scp[1]}/${scp[2]}`;
  try {
    const parsed = new URL(normal);
    // ssh://git@host:7999/org/repo and https://host/scm/org/repo are the same
    // repository on Bitbucket Server; the port and `/scm` are not telling.
    return `${parsed.hostname}${parsed.pathname.replace(/^\/scm\//, '/')}`;
  } catch {
    return normal;
  }
}

/** Whether the pushed ref is the revision the application follows. */
export function revisionMatches(targetRevision: string, event: PushEvent) {
  if (!event.ref) return true;
  const pushed = event.ref.replace(/^refs\/(heads|tags)\//, '');
  const target = targetRevision.replace(/^refs\/(heads|tags)\//, '');
  if (target === 'HEAD' || target === '') {
    return (
      !event.defaultBranch || event.ref === `refs/heads/${event.defaultBranch}`
    );
  }
  return target === pushed;
}

/** Repository paths (from the root) whose changes refresh the application. */
export function refreshPaths(app: ApplicationDefinition): string[] {
  return app.manifestGeneratePaths ?? [app.source.path];
}

function touches(paths: string[], files: string[]): boolean {
  return paths.some(path =>
    files.some(
      file => path === '' || file === path || file.startsWith(`${path}/`),
    ),
  );
}

/**
 * The applications a push concerns, as Argo CD decides: same repository,
 * the revision they follow, and a changed file under their path (or under
 * one of their `manifest-generate-paths`). A payload without a file list
 * concerns every application of the repository and revision.
 */
export function applicationsForPush(
  applications: ApplicationDefinition[],
  event: PushEvent,
): ApplicationDefinition[] {
  const pushed = new Set(event.repoURLs.map(repoKey));
  return applications.filter(
    app =>
      pushed.has(repoKey(app.source.repoURL)) &&
      revisionMatches(app.source.targetRevision, event) &&
      (event.changedFiles === undefined ||
        touches(refreshPaths(app), event.changedFiles)),
  );
}

/** Whether the push is to one of these repositories (e.g. Argo CD definitions). */
export function pushConcerns(repoURLs: string[], event: PushEvent): boolean {
  const pushed = new Set(event.repoURLs.map(repoKey));
  return repoURLs.some(url => pushed.has(repoKey(url)));
}
