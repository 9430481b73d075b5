import { isReusable, RenderCacheEntry } from './renderCache';

/** @public Bounds of the render cache shared by all applications. */
export interface RenderCacheLimits {
  /** Renders kept. Default 2,000. */
  maxEntries: number;
  /** Their manifests' size as JSON, all together. Default 128 MiB. */
  maxBytes: number;
}

export const DEFAULT_RENDER_CACHE_LIMITS: RenderCacheLimits = {
  maxEntries: 2_000,
  maxBytes: 128 * 1024 * 1024,
};

/**
 * Outputs of one source spec at different commits kept side by side, so
 * applications pinned to different commits of one path do not evict each
 * other; each is checked against the commit asked for (git lookups).
 */
const MAX_VARIANTS_PER_SPEC = 4;

/** Outputs named after an application are a spec of their own. */
const specKey = (hash: string, appName?: string) =>
  appName === undefined ? hash : `${hash}\0${appName}`;

interface StoredEntry extends RenderCacheEntry {
  bytes: number;
  /** Applications that used it, so `forget` can drop what nobody uses. */
  users: Set<string>;
}

/**
 * The render cache, keyed by content rather than by application: every
 * application with the same sources (`sourceHash`: repository, path, tool
 * options, destination namespace) at the same commits, or at commits where
 * none of the output's dependencies changed, reuses one render. Least
 * recently used entries go first when a bound is reached.
 */
export function createRenderStore(limits: Partial<RenderCacheLimits> = {}) {
  const { maxEntries, maxBytes } = {
    ...DEFAULT_RENDER_CACHE_LIMITS,
    ...limits,
  };
  const bySpec = new Map<string, StoredEntry[]>();
  // Insertion order is recency: an entry used is deleted and added again.
  const recency = new Set<StoredEntry>();
  let totalBytes = 0;

  function remove(entry: StoredEntry) {
    if (!recency.delete(entry)) return;
    totalBytes -= entry.bytes;
    const key = specKey(entry.sourceHash, entry.appName);
    const rest = (bySpec.get(key) ?? []).filter(v => v !== entry);
    if (rest.length) bySpec.set(key, rest);
    else bySpec.delete(key);
  }

  function touch(entry: StoredEntry, appName: string) {
    recency.delete(entry);
    recency.add(entry);
    entry.users.add(appName);
  }

  return {
    /**
     * An entry that is still the output of `hash` at `revisions` for this
     * application, or undefined. `currentIds` looks a source's dependencies
     * up at its new commit.
     */
    async find(
      hash: string,
      appName: string,
      revisions: string[],
      currentIds: (
        sourceIndex: number,
        paths: string[],
      ) => Promise<(string | undefined)[]>,
    ): Promise<RenderCacheEntry | undefined> {
      const candidates = [
        ...(bySpec.get(specKey(hash)) ?? []),
        ...(bySpec.get(specKey(hash, appName)) ?? []),
      ];
      const exact = candidates.find(entry =>
        entry.sources.every((s, i) => s.revision === revisions[i]),
      );
      if (exact) {
        touch(exact, appName);
        return exact;
      }
      for (const entry of candidates) {
        if (!(await isReusable(entry, hash, revisions, currentIds))) continue;
        if (!recency.has(entry)) continue; // evicted meanwhile
        // Valid at the new commits too: later lookups there need no git.
        entry.sources = entry.sources.map((s, i) => ({
          ...s,
          revision: revisions[i],
        }));
        touch(entry, appName);
        return entry;
      }
      return undefined;
    },

    put(entry: RenderCacheEntry, appName: string): void {
      const bytes = JSON.stringify(entry.manifests).length;
      // One output bigger than the whole cache is not kept at all.
      if (bytes > maxBytes) return;
      const stored: StoredEntry = { ...entry, bytes, users: new Set() };
      const key = specKey(entry.sourceHash, entry.appName);
      for (const old of bySpec.get(key) ?? []) {
        const same = old.sources.every(
          (s, i) => s.revision === entry.sources[i].revision,
        );
        if (same) remove(old);
      }
      bySpec.set(key, [...(bySpec.get(key) ?? []), stored]);
      recency.add(stored);
      totalBytes += bytes;
      touch(stored, appName);
      while ((bySpec.get(key) ?? []).length > MAX_VARIANTS_PER_SPEC) {
        remove(bySpec.get(key)![0]);
      }
      for (const oldest of recency) {
        if (recency.size <= maxEntries && totalBytes <= maxBytes) break;
        remove(oldest);
      }
    },

    /**
     * A hard refresh: every output of these sources this application could
     * use is made again.
     */
    drop(hash: string, appName: string): void {
      for (const key of [specKey(hash), specKey(hash, appName)]) {
        for (const entry of bySpec.get(key) ?? []) remove(entry);
      }
    },

    /** An application is gone: drop what only it used. */
    forget(appName: string): void {
      for (const entry of [...recency]) {
        entry.users.delete(appName);
        if (entry.users.size === 0) remove(entry);
      }
    },

    stats(): { entries: number; bytes: number } {
      return { entries: recency.size, bytes: totalBytes };
    },
  };
}

export type RenderStore = ReturnType<typeof createRenderStore>;
