import picomatch from 'picomatch';
import { readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { RepositoryError } from './errors';

/** @public Argo CD's `spec.source.directory`, the parts we support. */
export interface DirectoryOptions {
  /** Read sub-directories too. Default false: only the top folder. */
  recurse?: boolean;
  /** Glob over paths relative to the app path; only matches are read. */
  include?: string;
  /** Glob over paths relative to the app path; wins over `include`. */
  exclude?: string;
}

// Jsonnet files are selected too: renderDirectory evaluates them (or, with
// no evaluator, refuses them rather than silently leave their objects out).
const MANIFEST_FILE = /\.(yaml|yml|json|jsonnet)$/;

/**
 * Compiles an Argo CD directory glob. Argo CD matches with gobwas/glob and
 * no separators, so `*` also crosses `/` (`*.yaml` excludes nested files as
 * well) and `{a.yaml,b.yaml}` alternates; picomatch's bash mode matches the
 * same way. Dot files are not special there either.
 */
export function compileGlob(pattern: string): (path: string) => boolean {
  try {
    return picomatch(pattern, { bash: true, dot: true });
  } catch (error) {
    throw new RepositoryError(
      'InvalidPath',
      `invalid glob "${pattern}": ${(error as Error).message}`,
    );
  }
}

/**
 * The manifest files a directory source reads, as paths relative to
 * `appDir`, in the order Argo CD walks them (each folder's names sorted).
 */
export async function selectFiles(
  appDir: string,
  options: DirectoryOptions = {},
): Promise<string[]> {
  const include = options.include ? compileGlob(options.include) : undefined;
  const exclude = options.exclude ? compileGlob(options.exclude) : undefined;
  const selected: string[] = [];

  async function walk(relDir: string): Promise<void> {
    const entries = await readdir(join(appDir, relDir), {
      withFileTypes: true,
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : Number(a.name > b.name)));
    for (const entry of entries) {
      const relPath = relDir ? posix.join(relDir, entry.name) : entry.name;
      if (entry.isDirectory()) {
        if (options.recurse) await walk(relPath);
        continue;
      }
      if (!entry.isFile() || !MANIFEST_FILE.test(entry.name)) continue;
      if (exclude?.(relPath)) continue;
      if (include && !include(relPath)) continue;
      selected.push(relPath);
    }
  }

  await walk('');
  return selected;
}
