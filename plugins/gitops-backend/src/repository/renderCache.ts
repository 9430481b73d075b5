import { createHash } from 'node:crypto';
import { ObjectDependency } from './readTree';
import { RenderedManifest } from './renderDirectory';
import { normaliseRepoUrl } from './repoUrl';
import { DirectoryOptions } from './selectFiles';

export interface RenderCacheEntry {
  sourceHash: string;
  revision: string;
  /** What the output was made from: the path's tree and symlink targets. */
  dependencies: ObjectDependency[];
  manifests: RenderedManifest[];
}

/**
 * Identifies everything in a source that changes the output except the
 * commit. The target revision is left out: two names for one commit render
 * the same, and the commit is compared separately.
 */
export function sourceHash(source: {
  repoURL: string;
  path: string;
  directory?: DirectoryOptions;
}): string {
  const canonical = JSON.stringify([
    normaliseRepoUrl(source.repoURL),
    source.path,
    source.directory?.recurse ?? false,
    source.directory?.include ?? '',
    source.directory?.exclude ?? '',
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Whether a cached render is still the output at `revision`: the source is
 * unchanged and either the commit is the same or every object the output
 * was made from has the same id there, which git guarantees means the same
 * content. `currentIds` looks the dependencies up at the new commit.
 */
export async function isReusable(
  entry: RenderCacheEntry,
  hash: string,
  revision: string,
  currentIds: (paths: string[]) => Promise<(string | undefined)[]>,
): Promise<boolean> {
  if (entry.sourceHash !== hash) return false;
  if (entry.revision === revision) return true;
  const ids = await currentIds(entry.dependencies.map(d => d.path));
  return entry.dependencies.every((dependency, i) => ids[i] === dependency.oid);
}
