import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { RepositoryError } from './errors';
import { SYMLINK_MODE, TreeEntry } from './treeFormat';

/** The object store of one mirror, as far as reading a tree needs it. */
export interface GitObjectReader {
  /** Every blob, symlink and submodule under a tree, recursively. */
  listTree(treeOid: string): Promise<TreeEntry[]>;
  /** The entry at a repository path of a commit; `''` is the root tree. */
  entryAt(commitSha: string, path: string): Promise<TreeEntry | undefined>;
  readBlobs(oids: string[]): Promise<Map<string, Buffer>>;
}

/** A git object whose change would change the files read. */
export interface ObjectDependency {
  path: string;
  oid: string;
}

export interface TreeSnapshot {
  /** A fresh directory (mode 0700) with the files at their repository paths. */
  dir: string;
  /** Repository-relative paths of the files written, sorted. */
  files: string[];
  /** The app path's tree and every symlink target outside it. */
  dependencies: ObjectDependency[];
  dispose(): Promise<void>;
}

export interface ReadTreeLimits {
  maxBytes: number;
  maxFiles: number;
}

export const DEFAULT_READ_TREE_LIMITS: ReadTreeLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxFiles: 10_000,
};

// Linux gives up after 40 hops; a repository needs nowhere near that many,
// and each hop through a directory link may list a whole tree again.
const MAX_SYMLINK_HOPS = 8;
const MAX_SYMLINK_TARGET_BYTES = 4096;

/**
 * Copies the files under `path` at a commit out of the object store into a
 * new directory. Nothing is checked out and nothing is read before its size
 * is known, so the limits hold before any content is in memory.
 *
 * Symlinks are materialised as copies of what they point to. A link may
 * point anywhere inside the repository, as in Argo CD, including outside the
 * application's path (those targets are returned as dependencies, so a
 * cache keyed on the path's tree notices when they change). A link that
 * leaves the repository, is absolute, dangles, or loops is an error naming
 * the link: silently dropping it would let a sync prune the resources in it.
 */
export async function readTree(
  reader: GitObjectReader,
  request: {
    commitSha: string;
    path: string;
    limits?: Partial<ReadTreeLimits>;
  },
): Promise<TreeSnapshot> {
  const { commitSha, path: root } = request;
  const limits = { ...DEFAULT_READ_TREE_LIMITS, ...request.limits };
  const plan = new Map<string, string>();
  const dependencies: ObjectDependency[] = [];
  let bytes = 0;

  const tooLarge = (what: string) =>
    new RepositoryError(
      'TooLarge',
      `path "${root || '.'}" is too large: ${what} at commit ${commitSha.slice(
        0,
        7,
      )}`,
      { file: root },
    );

  function addBlob(entry: TreeEntry, outPath: string): void {
    if (outPath.split('/').some(part => ['', '.', '..'].includes(part))) {
      throw new RepositoryError('PathEscape', `unsafe file name "${outPath}"`, {
        file: outPath,
      });
    }
    plan.set(outPath, entry.oid);
    bytes += entry.size ?? 0;
    if (bytes > limits.maxBytes) {
      throw tooLarge(`more than ${limits.maxBytes} bytes`);
    }
    if (plan.size > limits.maxFiles) {
      throw tooLarge(`more than ${limits.maxFiles} files`);
    }
  }

  async function addTree(
    treeOid: string,
    repoDir: string,
    outDir: string,
    hops: number,
  ): Promise<void> {
    const links: { entry: TreeEntry; repoPath: string; outPath: string }[] = [];
    for (const entry of await reader.listTree(treeOid)) {
      const repoPath = posix.join(repoDir, entry.path);
      const outPath = posix.join(outDir, entry.path);
      // Submodules are not fetched, so they cannot be rendered.
      if (entry.type === 'commit') continue;
      if (entry.mode === SYMLINK_MODE) links.push({ entry, repoPath, outPath });
      else addBlob(entry, outPath);
    }
    const targets = await readLinkTargets(links);
    for (const link of links) {
      await follow(
        link.repoPath,
        targets.get(link.entry.oid) ?? '',
        link.outPath,
        hops,
      );
    }
  }

  async function readLinkTargets(
    links: { entry: TreeEntry; repoPath: string }[],
  ): Promise<Map<string, string>> {
    for (const { entry, repoPath } of links) {
      if ((entry.size ?? 0) > MAX_SYMLINK_TARGET_BYTES) {
        throw new RepositoryError(
          'InvalidPath',
          `symlink "${repoPath}" is malformed`,
          {
            file: repoPath,
          },
        );
      }
    }
    if (links.length === 0) return new Map();
    const blobs = await reader.readBlobs(links.map(l => l.entry.oid));
    return new Map(
      [...blobs].map(([oid, blob]) => [oid, blob.toString('utf8')]),
    );
  }

  async function follow(
    linkPath: string,
    target: string,
    outPath: string,
    hops: number,
  ): Promise<void> {
    const escape = () =>
      new RepositoryError(
        'PathEscape',
        `symlink "${linkPath}" points to "${target}", outside the repository`,
        { file: linkPath },
      );
    if (hops >= MAX_SYMLINK_HOPS) {
      throw new RepositoryError(
        'InvalidPath',
        `symlink "${linkPath}": too many levels of symbolic links`,
        { file: linkPath },
      );
    }
    if (posix.isAbsolute(target) || /^[a-zA-Z]:[\\/]/.test(target))
      throw escape();
    if (/[\n\r\0]/.test(target)) throw escape();
    const joined = posix.normalize(posix.join(posix.dirname(linkPath), target));
    if (joined === '..' || joined.startsWith('../')) throw escape();
    const resolved = joined === '.' ? '' : joined.replace(/\/+$/, '');
    const entry = await reader.entryAt(commitSha, resolved);
    if (!entry) {
      throw new RepositoryError(
        'NotFound',
        `symlink "${linkPath}" points to "${target}", which does not exist at commit ${commitSha.slice(
          0,
          7,
        )}`,
        { file: linkPath },
      );
    }
    if (!isWithin(resolved, root)) {
      dependencies.push({ path: resolved, oid: entry.oid });
    }
    if (entry.mode === SYMLINK_MODE) {
      const next = await readLinkTargets([{ entry, repoPath: resolved }]);
      await follow(resolved, next.get(entry.oid) ?? '', outPath, hops + 1);
    } else if (entry.type === 'tree') {
      await addTree(entry.oid, resolved, outPath, hops + 1);
    } else if (entry.type === 'blob') {
      addBlob(entry, outPath);
    }
  }

  const rootEntry = await reader.entryAt(commitSha, root);
  if (
    !rootEntry ||
    rootEntry.type !== 'tree' ||
    rootEntry.mode === SYMLINK_MODE
  ) {
    throw new RepositoryError(
      'NotFound',
      `path "${root || '.'}" is not a directory at commit ${commitSha.slice(
        0,
        7,
      )}`,
      { file: root },
    );
  }
  dependencies.unshift({ path: root, oid: rootEntry.oid });
  await addTree(rootEntry.oid, root, root, 0);
  return writeSnapshot(reader, root, plan, dependencies);
}

function isWithin(path: string, root: string): boolean {
  return root === '' || path === root || path.startsWith(`${root}/`);
}

async function writeSnapshot(
  reader: GitObjectReader,
  root: string,
  plan: Map<string, string>,
  dependencies: ObjectDependency[],
): Promise<TreeSnapshot> {
  const dir = await mkdtemp(join(tmpdir(), 'gitops-tree-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await mkdir(join(dir, root), { recursive: true, mode: 0o700 });
    const blobs =
      plan.size > 0
        ? await reader.readBlobs([...new Set(plan.values())])
        : new Map();
    for (const [file, oid] of plan) {
      const target = join(dir, file);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      // `wx` never writes through anything already there.
      const content = blobs.get(oid);
      if (!content)
        throw new Error(`git object ${oid} of "${file}" is missing`);
      await writeFile(target, content, {
        flag: 'wx',
        mode: 0o600,
      });
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { dir, files: [...plan.keys()].sort(), dependencies, dispose };
}
