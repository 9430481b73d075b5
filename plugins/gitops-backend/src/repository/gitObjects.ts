import { GitRunner } from './gitRunner';
import { GitObjectReader } from './readTree';
import { parseBatchCheck, parseCatFileBatch, parseLsTree } from './treeFormat';

/**
 * Reads objects straight from a mirror's object store. Paths are only ever
 * passed inside `<commit>:<path>` object names, which git takes literally,
 * never as pathspecs, where `*` or `:(magic)` would mean something.
 */
export function createObjectReader(
  runner: GitRunner,
  mirrorDir: string,
  url: string,
): GitObjectReader & {
  objectIds(
    commitSha: string,
    paths: string[],
  ): Promise<(string | undefined)[]>;
} {
  const options = { url, action: 'reading' };

  async function objectIds(commitSha: string, paths: string[]) {
    if (paths.length === 0) return [];
    const input = `${paths.map(path => `${commitSha}:${path}`).join('\n')}\n`;
    const output = await runner.text(mirrorDir, ['cat-file', '--batch-check'], {
      ...options,
      input,
    });
    return parseBatchCheck(output);
  }

  return {
    objectIds,

    async listTree(treeOid) {
      const output = await runner.text(
        mirrorDir,
        ['ls-tree', '-r', '-l', '-z', '--end-of-options', treeOid],
        options,
      );
      return parseLsTree(output);
    },

    async entryAt(commitSha, path) {
      if (path === '') {
        const [rootOid] = await objectIds(commitSha, ['']);
        return rootOid
          ? { mode: '040000', type: 'tree', oid: rootOid, path }
          : undefined;
      }
      // Only the parent's listing tells a symlink from a file.
      const slash = path.lastIndexOf('/');
      const parent = slash < 0 ? '' : path.slice(0, slash);
      const [oid, parentOid] = await objectIds(commitSha, [path, parent]);
      if (!oid || !parentOid) return undefined;
      const output = await runner.text(
        mirrorDir,
        ['ls-tree', '-l', '-z', '--end-of-options', parentOid],
        options,
      );
      const name = path.slice(slash + 1);
      const entry = parseLsTree(output).find(e => e.path === name);
      return entry && { ...entry, path };
    },

    async readBlobs(oids) {
      const output = await runner.catFileBinary(mirrorDir, ['--batch'], {
        ...options,
        input: `${oids.join('\n')}\n`,
      });
      return parseCatFileBatch(output);
    },
  };
}
