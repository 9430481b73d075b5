import { PushPayload, validatePushPayload } from './payloadSchemas';

/** Which Git host sent a webhook, from its headers. */
export type WebhookProvider =
  | 'github'
  | 'gitlab'
  | 'bitbucketServer'
  | 'bitbucketCloud';

/** What a push changed, as far as the payload says. */
export type PushEvent = {
  /** Every URL the payload gives for the repository (https, ssh, web). */
  repoURLs: string[];
  /** `refs/heads/main`, `refs/tags/v1`, ... when the payload names it. */
  ref?: string;
  defaultBranch?: string;
  /** Changed paths; undefined when the host does not list them. */
  changedFiles?: string[];
};

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The provider by its event header, or undefined for an unknown sender. */
export function detectProvider(headers: Headers): WebhookProvider | undefined {
  if (header(headers, 'x-github-event')) return 'github';
  if (header(headers, 'x-gitlab-event')) return 'gitlab';
  if (!header(headers, 'x-event-key')) return undefined;
  // Bitbucket Cloud marks every delivery with its hook's UUID; Server does not.
  return header(headers, 'x-hook-uuid') ? 'bitbucketCloud' : 'bitbucketServer';
}

/** Whether the event is a push; others (ping, issues, ...) are acknowledged and ignored. */
export function isPushEvent(provider: WebhookProvider, headers: Headers) {
  switch (provider) {
    case 'github':
      return header(headers, 'x-github-event') === 'push';
    case 'gitlab':
      return ['Push Hook', 'Tag Push Hook'].includes(
        header(headers, 'x-gitlab-event') ?? '',
      );
    case 'bitbucketServer':
      return header(headers, 'x-event-key') === 'repo:refs_changed';
    case 'bitbucketCloud':
      return header(headers, 'x-event-key') === 'repo:push';
    default:
      return false;
  }
}

const strings = (...values: unknown[]) =>
  values.filter((v): v is string => typeof v === 'string' && v.length > 0);

type Commits = PushPayload<'github'>['commits'];

function changedFiles(commits: Commits): string[] | undefined {
  if (!commits) return undefined;
  return [
    ...new Set(
      commits.flatMap(c =>
        strings(
          ...(c?.added ?? []),
          ...(c?.modified ?? []),
          ...(c?.removed ?? []),
        ),
      ),
    ),
  ];
}

const orUndefined = (value: string | null | undefined) => value ?? undefined;

/**
 * Reads a push payload of each provider into one shape. A payload whose
 * fields have the wrong types is refused with an InputError naming them.
 */
export function parsePush(provider: WebhookProvider, body: unknown): PushEvent {
  switch (provider) {
    case 'github': {
      const payload = validatePushPayload('github', body);
      const repo = payload.repository ?? {};
      // GitHub lists at most 20 commits (and 3000 files each): beyond that
      // the file list is partial, so every application of the repo refreshes.
      const commits = payload.commits ?? undefined;
      return {
        repoURLs: strings(
          repo.clone_url,
          repo.ssh_url,
          repo.html_url,
          repo.git_url,
        ),
        ref: orUndefined(payload.ref),
        defaultBranch: orUndefined(repo.default_branch),
        changedFiles:
          commits && commits.length < 20 ? changedFiles(commits) : undefined,
      };
    }
    case 'gitlab': {
      const payload = validatePushPayload('gitlab', body);
      const project = payload.project ?? {};
      return {
        repoURLs: strings(
          project.git_http_url,
          project.git_ssh_url,
          project.web_url,
        ),
        ref: orUndefined(payload.ref),
        defaultBranch: orUndefined(project.default_branch),
        changedFiles:
          (payload.total_commits_count ?? 0) > (payload.commits?.length ?? 0)
            ? undefined
            : changedFiles(payload.commits),
      };
    }
    case 'bitbucketServer': {
      const payload = validatePushPayload('bitbucketServer', body);
      const links = payload.repository?.links?.clone ?? [];
      return {
        repoURLs: strings(...links.map(l => l?.href)),
        ref: orUndefined(payload.changes?.[0]?.ref?.id),
      };
    }
    case 'bitbucketCloud': {
      const payload = validatePushPayload('bitbucketCloud', body);
      const repo = payload.repository ?? {};
      const change = payload.push?.changes?.[0]?.new;
      const html = repo.links?.html?.href;
      let ref: string | undefined;
      if (change?.name) {
        ref =
          change.type === 'tag'
            ? `refs/tags/${change.name}`
            : `refs/heads/${change.name}`;
      }
      return {
        repoURLs: strings(
          html,
          repo.full_name && `git@bitbucket.org:${repo.full_name}.git`,
        ),
        ref,
      };
    }
    default:
      return { repoURLs: [] };
  }
}
