import { isRepositoryError } from './errors';
import { GitMirrors } from './gitMirrors';
import { fetchKey, mirrorDirName } from './repoUrl';
import { isFullSha } from './revision';

/**
 * Resolves target revisions with one Git network call per repository for
 * every application on it, as Argo CD's repo server caches ls-remote:
 *
 * - a fetch in flight is joined by every request for the same repository;
 * - a finished fetch serves requests that allow it (`allowCached`) for
 *   `ttlMs` after it started (what it brought is at least as new as its
 *   start), and the SHA each target revision resolved to is kept until the
 *   next fetch;
 * - `invalidate` (a webhook's push, a hard refresh) makes the next request
 *   fetch again, and a fetch that started before it is not joined.
 *
 * Requests are shared only by the same URL with the same credentials in it:
 * an application with other (or wrong) credentials in its URL fetches with
 * its own, and fails with its own error. Credentials from configuration
 * depend on the URL alone, so they are the same for every such request.
 */
export interface RevisionResolver {
  resolve(
    url: string,
    targetRevision: string,
    options?: { hard?: boolean; allowCached?: boolean },
  ): Promise<string>;
  /** The next resolution of this repository (any credentials) fetches. */
  invalidate(url: string): void;
}

interface FetchState {
  done?: { seq: number; startedAt: number };
  running?: { seq: number; promise: Promise<void> };
  /** A fetch queued behind one that started before an invalidation. */
  next?: Promise<void>;
  /** targetRevision → SHA, as of `done`. */
  resolved: Map<string, string>;
}

export function createRevisionResolver(options: {
  mirrors: GitMirrors;
  ttlMs: number;
  now?: () => number;
}): RevisionResolver {
  const { mirrors, ttlMs } = options;
  const now = options.now ?? Date.now;
  const states = new Map<string, FetchState>();
  /** Per mirror: fetches numbered up to this one are stale. */
  const staleUpTo = new Map<string, number>();
  let seq = 0;

  function stateOf(url: string): FetchState {
    const key = fetchKey(url);
    let state = states.get(key);
    if (!state) {
      state = { resolved: new Map() };
      states.set(key, state);
    }
    return state;
  }

  function invalidate(url: string) {
    staleUpTo.set(mirrorDirName(url), ++seq);
  }

  function start(url: string, state: FetchState): Promise<void> {
    const running = { seq: ++seq, startedAt: now() };
    // A failure is not kept: the next request asks Git again.
    const promise = mirrors.fetch(url).then(() => {
      if (!state.done || state.done.seq < running.seq) {
        state.done = running;
        state.resolved.clear();
      }
    });
    state.running = { seq: running.seq, promise };
    const clear = () => {
      if (state.running?.promise === promise) state.running = undefined;
    };
    promise.then(clear, clear);
    return promise;
  }

  function ensureFetched(
    url: string,
    state: FetchState,
    maxAgeMs: number,
  ): Promise<void> {
    const stale = staleUpTo.get(mirrorDirName(url)) ?? 0;
    const { done, running } = state;
    if (done && done.seq > stale && now() - done.startedAt < maxAgeMs) {
      return Promise.resolve();
    }
    if (running && running.seq > stale) return running.promise;
    if (running) {
      // It may have missed what the invalidation announced: fetch after it.
      state.next ??= running.promise
        .catch(() => undefined)
        .then(() => {
          state.next = undefined;
          return ensureFetched(url, state, maxAgeMs);
        });
      return state.next;
    }
    return start(url, state);
  }

  return {
    invalidate,

    async resolve(url, targetRevision, resolveOptions = {}) {
      // Commits never change, so a pinned SHA the mirror has needs no fetch.
      if (isFullSha(targetRevision)) {
        try {
          return await mirrors.resolveRevision(url, targetRevision);
        } catch (error) {
          if (!isRepositoryError(error, 'NotFound')) throw error;
        }
      }
      if (resolveOptions.hard) invalidate(url);
      const state = stateOf(url);
      await ensureFetched(url, state, resolveOptions.allowCached ? ttlMs : 0);
      const cached = state.resolved.get(targetRevision);
      if (cached) return cached;
      const doneSeq = state.done?.seq;
      const sha = await mirrors.resolveRevision(url, targetRevision);
      // Only as of the fetch it was read after; a newer one clears the map.
      if (state.done?.seq === doneSeq) state.resolved.set(targetRevision, sha);
      return sha;
    },
  };
}
