import { LRUCache } from 'lru-cache';
import { LoggerService } from '@backstage/backend-plugin-api';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RepositoryError, isRepositoryError } from './errors';
import { CredentialsProvider } from './gitCredentials';
import { createObjectReader } from './gitObjects';
import { createGitRunner } from './gitRunner';
import { ReadTreeLimits, TreeSnapshot, readTree } from './readTree';
import {
  assertRepoUrl,
  fetchKey,
  mirrorDirName,
  normaliseAppPath,
} from './repoUrl';
import {
  REMOTE_HEAD_REF,
  checkTargetRevision,
  isFullSha,
  revisionCandidates,
} from './revision';
import { displayUrl } from './sanitise';

/** @public */
export interface GitMirrorsOptions {
  /** Parent of all mirrors; each is a bare repository named by URL hash. */
  cacheDir: string;
  /** Deadline of each git command, output or not. Default 90s, as Argo CD. */
  timeoutMs?: number;
  logger?: LoggerService;
  credentials?: CredentialsProvider;
  /** Plain http is for tests and local servers only. */
  allowHttp?: boolean;
}

/**
 * One bare mirror per repository, shared by every application reading it.
 * Files are never checked out in a mirror: they are read from its object
 * store at a given commit, so concurrent readers of different commits never
 * disturb each other.
 *
 * @public
 */
export interface GitMirrors {
  /**
   * Brings the mirror up to date; concurrent calls for one URL (and the
   * same credentials in it) share one git fetch.
   */
  fetch(url: string): Promise<void>;
  /** Branch, tag, (short) SHA or `HEAD` to a full commit SHA, from the mirror. */
  resolveRevision(url: string, targetRevision: string): Promise<string>;
  /** The object ids at `<commit>:<path>`, undefined where a path is absent. */
  objectIds(
    url: string,
    commitSha: string,
    paths: string[],
  ): Promise<(string | undefined)[]>;
  readTree(
    url: string,
    commitSha: string,
    path: string,
    limits?: Partial<ReadTreeLimits>,
  ): Promise<TreeSnapshot>;
  /** A commit's author name, date and message, for people to recognise it. */
  describeCommit(url: string, commitSha: string): Promise<CommitDescription>;
}

/** @public */
export interface CommitDescription {
  author: string;
  /** ISO 8601. */
  date: string;
  /** Shortened to MAX_COMMIT_MESSAGE characters. */
  message: string;
}

const MAX_COMMIT_MESSAGE = 500;
/** Commits whose description is kept (each under 1 KB). */
const MAX_COMMIT_DESCRIPTIONS = 5_000;

const FETCH_REFSPECS = [
  '+refs/heads/*:refs/heads/*',
  '+refs/tags/*:refs/tags/*',
];

/** @public */
export function createGitMirrors(options: GitMirrorsOptions): GitMirrors {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const allowHttp = options.allowHttp ?? false;
  const runner = createGitRunner({ timeoutMs, allowHttp });
  const inFlight = new Map<string, Promise<void>>();
  const commitDescriptions = new LRUCache<string, CommitDescription>({
    max: MAX_COMMIT_DESCRIPTIONS,
  });
  const lastOfMirror = new Map<string, Promise<void>>();

  async function ensureMirror(url: string): Promise<string> {
    const dir = join(options.cacheDir, mirrorDirName(url));
    if (await exists(dir)) return dir;
    await mkdir(options.cacheDir, { recursive: true, mode: 0o700 });
    // Created aside and renamed into place, so a crash never leaves a
    // half-initialised mirror under the real name.
    const staging = await mkdtemp(join(options.cacheDir, '.init-'));
    await runner.text(staging, ['init', '--bare', '--quiet'], {
      url,
      action: 'creating a mirror of',
    });
    await rename(staging, dir).catch(() =>
      rm(staging, { recursive: true, force: true }),
    );
    return dir;
  }

  async function existingMirror(url: string): Promise<string> {
    assertRepoUrl(url, allowHttp);
    const dir = join(options.cacheDir, mirrorDirName(url));
    if (!(await exists(dir))) {
      throw new RepositoryError(
        'NotFound',
        `repository ${displayUrl(url)} has not been fetched yet`,
        { repoUrl: displayUrl(url) },
      );
    }
    return dir;
  }

  async function gitFetch(url: string, refspecs: string[]): Promise<void> {
    const dir = await ensureMirror(url);
    const credentials = await options.credentials?.(url);
    const started = Date.now();
    await runner.text(
      dir,
      ['fetch', '--prune', '--no-tags', '--quiet', '--', url, ...refspecs],
      { url, credentials, action: 'fetching' },
    );
    options.logger?.debug(
      `fetched ${displayUrl(url)} in ${Date.now() - started}ms`,
    );
  }

  async function fetchAll(url: string): Promise<void> {
    try {
      await gitFetch(url, [...FETCH_REFSPECS, `+HEAD:${REMOTE_HEAD_REF}`]);
    } catch (error) {
      // An empty repository, or one whose HEAD names a deleted branch, still
      // has branches and tags worth fetching.
      if (!/couldn't find remote ref HEAD/i.test(String(error))) throw error;
      await gitFetch(url, FETCH_REFSPECS);
    }
  }

  async function resolveLocally(dir: string, url: string, revision: string) {
    for (const candidate of revisionCandidates(revision)) {
      try {
        const sha = await runner.text(
          dir,
          [
            'rev-parse',
            '--verify',
            '--quiet',
            '--end-of-options',
            `${candidate}^{commit}`,
          ],
          { url, action: 'resolving a revision in' },
        );
        if (isFullSha(sha.trim())) return sha.trim();
      } catch (error) {
        // An ambiguous short SHA fails loudly; it is simply not a match.
        if (!isRepositoryError(error, 'GitFailed')) throw error;
      }
    }
    return undefined;
  }

  return {
    // Async so a refused URL is a rejection, not a throw; everything up to
    // `inFlight.set` still runs synchronously, which the collapsing needs.
    // Only a fetch with the same credentials in the URL is joined, so one
    // without (or with wrong) credentials fails on its own; fetches of one
    // mirror with different credentials run one after another.
    async fetch(url) {
      assertRepoUrl(url, allowHttp);
      const key = fetchKey(url);
      const running = inFlight.get(key);
      if (running) return running;
      const dir = mirrorDirName(url);
      const before = lastOfMirror.get(dir) ?? Promise.resolve();
      const fetching = before
        .catch(() => undefined)
        .then(() => fetchAll(url))
        .finally(() => inFlight.delete(key));
      inFlight.set(key, fetching);
      lastOfMirror.set(dir, fetching);
      const forget = () => {
        if (lastOfMirror.get(dir) === fetching) lastOfMirror.delete(dir);
      };
      fetching.then(forget, forget);
      return fetching;
    },

    async resolveRevision(url, targetRevision) {
      const problem = checkTargetRevision(targetRevision);
      if (problem) {
        throw new RepositoryError('InvalidRevision', problem, {
          repoUrl: displayUrl(url),
        });
      }
      const dir = await existingMirror(url);
      const found = await resolveLocally(dir, url, targetRevision);
      if (found) return found;
      if (isFullSha(targetRevision)) {
        // A commit no branch or tag reaches (an old or force-pushed one) can
        // still be asked for by id; commits never change, so this is final.
        const sha = targetRevision.toLowerCase();
        const fetched = await gitFetch(url, [
          `+${sha}:refs/gitops/commits/${sha}`,
        ])
          .then(() => resolveLocally(dir, url, sha))
          .catch(() => undefined);
        if (fetched) return fetched;
      }
      throw new RepositoryError(
        'NotFound',
        `revision "${targetRevision}" not found in ${displayUrl(url)}`,
        { repoUrl: displayUrl(url) },
      );
    },

    async objectIds(url, commitSha, paths) {
      const dir = await existingMirror(url);
      return createObjectReader(runner, dir, url).objectIds(commitSha, paths);
    },

    async describeCommit(url, commitSha) {
      // Only a full SHA, so nothing the caller passes reads as an option.
      if (!isFullSha(commitSha)) {
        throw new RepositoryError(
          'InvalidRevision',
          `"${commitSha}" is not a commit SHA`,
          { repoUrl: displayUrl(url) },
        );
      }
      // A commit never changes: every refresh of every application on it
      // asked git once more (a process each) for the same words.
      const key = `${url}\0${commitSha}`;
      const known = commitDescriptions.get(key);
      if (known) return known;
      const dir = await existingMirror(url);
      const out = await runner.text(
        dir,
        ['show', '-s', '--format=%an%x00%aI%x00%B', commitSha],
        { url, action: 'reading a commit of' },
      );
      const [author = '', date = '', ...rest] = out.split('\0');
      const message = rest.join('\0').trim();
      const description = {
        author: author.trim(),
        date: date.trim(),
        message:
          message.length > MAX_COMMIT_MESSAGE
            ? `${message.slice(0, MAX_COMMIT_MESSAGE)}…`
            : message,
      };
      commitDescriptions.set(key, description);
      return description;
    },

    async readTree(url, commitSha, path, limits) {
      const dir = await existingMirror(url);
      const reader = createObjectReader(runner, dir, url);
      return readTree(reader, {
        commitSha,
        path: normaliseAppPath(path),
        limits,
      });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
