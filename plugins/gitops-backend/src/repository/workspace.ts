import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { isRepositoryError, RepositoryError } from './errors';
import type { GitMirrors } from './gitMirrors';
import {
  DEFAULT_READ_TREE_LIMITS,
  ObjectDependency,
  ReadTreeLimits,
} from './readTree';

/** What a repository path is at the workspace's commit. */
export type EntryKind = 'file' | 'dir';

/**
 * One commit of one repository, read into a private directory piece by
 * piece: the application's folder first, then whatever else a tool turns
 * out to need (a kustomize base, a value file's folder, a Jsonnet library).
 * Files sit at their repository paths, so relative references between them
 * work as in a checkout, and the directory holds nothing but repository
 * files, so a path that stays inside the repository cannot reach anything
 * else. Symlinks are copies (see readTree), so no tool can follow one out.
 */
export interface Workspace {
  /** The repository root inside the temporary directory. */
  readonly dir: string;
  readonly repoUrl: string;
  readonly revision: string;
  /** The absolute path of a repository path inside the workspace. */
  abs(repoPath: string): string;
  /** Reads the folder at `repoPath`, recursively, unless already read. */
  addTree(repoPath: string): Promise<void>;
  /** File, folder or nothing at the commit, read or not. */
  kind(repoPath: string): Promise<EntryKind | undefined>;
  /** Everything the output depends on, including paths found absent. */
  dependencies(): ObjectDependency[];
  dispose(): Promise<void>;
}

export interface WorkspaceOptions {
  mirrors: Pick<GitMirrors, 'readTree' | 'objectIds'>;
  url: string;
  revision: string;
  /** For everything read into this workspace together. */
  limits?: Partial<ReadTreeLimits>;
}

/**
 * Resolves a reference found in a repository file (or an application
 * option) against the folder it is relative to, refusing absolute paths and
 * any path that climbs out of the repository.
 */
export function resolveRepoPath(
  fromDir: string,
  ref: string,
  context: { file?: string; what: string },
): string {
  const { file, what } = context;
  const prefix = file ? `${file}: ` : '';
  const escape = (why: string) =>
    new RepositoryError('PathEscape', `${prefix}${what} "${ref}" ${why}`, {
      file,
    });
  if (posix.isAbsolute(ref) || /^[a-zA-Z]:[\\/]/.test(ref)) {
    throw escape('is an absolute path; only files in the repository are read');
  }
  if (/[\n\r\0]/.test(ref)) {
    throw new RepositoryError(
      'InvalidPath',
      `${prefix}${what} contains a control character`,
      { file },
    );
  }
  const joined = posix.normalize(posix.join(fromDir || '.', ref));
  if (joined === '..' || joined.startsWith('../')) {
    throw escape('is outside the repository');
  }
  return joined === '.' ? '' : joined.replace(/\/+$/, '');
}

export async function createWorkspace(
  options: WorkspaceOptions,
): Promise<Workspace> {
  const { mirrors, url, revision } = options;
  const limits = { ...DEFAULT_READ_TREE_LIMITS, ...options.limits };
  const dir = await mkdtemp(join(tmpdir(), 'gitops-ws-'));
  const trees: string[] = [];
  const dependencies: ObjectDependency[] = [];
  let bytes = 0;
  let files = 0;

  const covered = (path: string) =>
    trees.some(t => t === '' || path === t || path.startsWith(`${t}/`));
  const abs = (path: string) => {
    if (path.split('/').includes('..') || posix.isAbsolute(path)) {
      throw new RepositoryError('PathEscape', `unsafe path "${path}"`, {
        file: path,
      });
    }
    return path ? join(dir, path) : dir;
  };

  async function addTree(path: string): Promise<void> {
    if (covered(path)) return;
    const remaining = {
      maxBytes: limits.maxBytes - bytes,
      maxFiles: limits.maxFiles - files,
    };
    const snapshot = await mirrors
      .readTree(url, revision, path, remaining)
      .catch(error => {
        if (!isRepositoryError(error, 'TooLarge') || trees.length === 0) {
          throw error;
        }
        // The limit holds for the whole source, not each folder read.
        throw new RepositoryError(
          'TooLarge',
          `the files this source reads are too large: more than ${limits.maxBytes} bytes or ${limits.maxFiles} files in total (while reading "${path}")`,
          { file: path },
        );
      });
    try {
      await mkdir(abs(path), { recursive: true, mode: 0o700 });
      for (const file of snapshot.files) {
        const target = abs(file);
        // A folder read earlier may lie inside this one: same commit, same files.
        if (await exists(target)) continue;
        const from = join(snapshot.dir, file);
        bytes += (await stat(from)).size;
        files += 1;
        await mkdir(dirname(target), { recursive: true, mode: 0o700 });
        await rename(from, target);
      }
    } finally {
      await snapshot.dispose();
    }
    trees.push(path);
    for (const dependency of snapshot.dependencies)
      dependencies.push(dependency);
  }

  async function kind(path: string): Promise<EntryKind | undefined> {
    if (path === '') return 'dir';
    if (covered(path)) {
      const found = await stat(abs(path)).catch(() => undefined);
      if (!found) return undefined;
      return found.isDirectory() ? 'dir' : 'file';
    }
    // git resolves `<commit>:<path>/` only when the path is a tree.
    const [id, treeId] = await mirrors.objectIds(url, revision, [
      path,
      `${path}/`,
    ]);
    if (treeId) return 'dir';
    if (id) return 'file';
    // Absent now, but a later commit adding it could change the output.
    dependencies.push({ path, oid: '' });
    return undefined;
  }

  return {
    dir,
    repoUrl: url,
    revision,
    abs,
    addTree,
    kind,
    dependencies: () => [...dependencies],
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
