import { createHash } from 'node:crypto';
import { ObjectDependency } from './readTree';
import { RenderedManifest } from './renderDirectory';
import { normaliseRepoUrl } from '@backstage-gitops/plugin-gitops-common';
import { DirectoryOptions } from './selectFiles';

/** What one source's output was made from, at which commit. */
export interface SourceDependencies {
  revision: string;
  /**
   * The trees and files read (the path's tree, symlink targets, bases,
   * value files' folders), and paths looked for but absent (oid `''`).
   */
  dependencies: ObjectDependency[];
}

export interface RenderCacheEntry {
  sourceHash: string;
  /** One per source, in the application's order. */
  sources: SourceDependencies[];
  manifests: RenderedManifest[];
  /**
   * Set when the output depends on the application's name (a Helm source
   * without `releaseName`): then only that application may reuse it.
   */
  appName?: string;
}

/**
 * Identifies everything in a source that changes the output except the
 * commit. The target revision is left out: two names for one commit render
 * the same, and the commit is compared separately.
 */
export function sourceHash(source: {
  repoURL: string;
  path?: string;
  directory?: DirectoryOptions & { jsonnet?: unknown };
  helm?: unknown;
  kustomize?: unknown;
  ref?: string;
  chart?: string;
}): string {
  const canonical = JSON.stringify([
    normaliseRepoUrl(source.repoURL),
    source.path ?? '',
    source.directory?.recurse ?? false,
    source.directory?.include ?? '',
    source.directory?.exclude ?? '',
    ...[
      source.directory?.jsonnet,
      source.helm,
      source.kustomize,
      source.ref,
      source.chart,
    ].map(stableJson),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The hash of several sources and what they all share, in order. */
export function sourcesHash(hashes: string[], shared: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([hashes, stableJson(shared)]))
    .digest('hex');
}

/** JSON with sorted keys, so `{a, b}` and `{b, a}` hash alike. */
function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

/**
 * Whether a cached render is still the output at `revisions` (one per
 * source): the sources are unchanged and, for each, either the commit is the
 * same or every object its output was made from has the same id there,
 * which git guarantees means the same content, and every path found absent
 * is still absent. `currentIds` looks the dependencies of one source up at
 * its new commit.
 */
export async function isReusable(
  entry: RenderCacheEntry,
  hash: string,
  revisions: string[],
  currentIds: (
    sourceIndex: number,
    paths: string[],
  ) => Promise<(string | undefined)[]>,
): Promise<boolean> {
  if (entry.sourceHash !== hash) return false;
  if (entry.sources.length !== revisions.length) return false;
  for (const [index, source] of entry.sources.entries()) {
    if (source.revision === revisions[index]) continue;
    const ids = await currentIds(
      index,
      source.dependencies.map(d => d.path),
    );
    const same = source.dependencies.every(
      (dependency, i) => (ids[i] ?? '') === dependency.oid,
    );
    if (!same) return false;
  }
  return true;
}
