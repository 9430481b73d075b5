import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { RepositoryError } from './errors';
import { findJsonnetImports, JsonnetImport } from './jsonnetImports';
import {
  DEFAULT_PARSE_LIMITS,
  ManifestObject,
  objectsFromValue,
  ParseLimits,
} from './parseManifests';
import { ToolRunner } from './runTool';
import { JsonnetOptions, JsonnetVariable } from './sourceOptions';
import { resolveRepoPath, Workspace } from './workspace';

export interface JsonnetRendererOptions {
  workspace: Workspace;
  options?: JsonnetOptions;
  runner: ToolRunner;
  limits?: ParseLimits;
}

/**
 * Evaluates `.jsonnet` files as Argo CD's directory sources do: each file's
 * output is one object or an array of them (nested arrays flattened), held
 * to the same rules as YAML files. External variables and top-level
 * arguments come from the options; `libs` are `-J` folders relative to the
 * repository root.
 *
 * Before the binary runs, every import of the file, of what it imports, and
 * of code-valued variables is found and resolved the way Jsonnet resolves
 * it (next to the importing file, then the libraries, last first). An
 * absolute path, or one that leaves the repository from any of those
 * places, is refused naming the file and line; imported files outside the
 * folders read so far are read into the workspace, so the binary finds only
 * repository files.
 */
export function createJsonnetRenderer(
  rendererOptions: JsonnetRendererOptions,
): (file: string) => Promise<ManifestObject[]> {
  const { workspace, runner } = rendererOptions;
  const options = rendererOptions.options ?? {};
  const limits = rendererOptions.limits ?? DEFAULT_PARSE_LIMITS;
  let libs: Promise<string[]> | undefined;

  async function resolveLibs(): Promise<string[]> {
    const found: string[] = [];
    for (const lib of options.libs ?? []) {
      const path = resolveRepoPath('', lib, { what: 'Jsonnet library' });
      const kind = await workspace.kind(path);
      // As with -J, a library folder that does not exist adds nothing.
      if (kind === undefined) continue;
      if (kind !== 'dir') {
        throw new RepositoryError(
          'InvalidSource',
          `Jsonnet library "${lib}" is not a folder`,
          { file: path },
        );
      }
      await workspace.addTree(path);
      found.push(path);
    }
    return found;
  }

  async function checkImports(
    file: string,
    cwd: string,
    libDirs: string[],
  ): Promise<void> {
    const seen = new Set<string>([file]);
    const queue = [file];
    const scan = async (from: ImportingText, dir: string) => {
      for (const found of parseImports(from)) {
        const target = await resolveImport(from, dir, found, libDirs);
        if (target && found.kind === 'import' && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    };
    for (const { name, value, code } of [
      ...(options.extVars ?? []),
      ...(options.tlas ?? []),
    ]) {
      // The jsonnet binary resolves a snippet's imports against its cwd.
      if (code) {
        await scan({ file, label: `variable "${name}"`, source: value }, cwd);
      }
    }
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const source = await readFile(workspace.abs(next), 'utf8');
      await scan({ file: next, source }, posix.dirname(next));
    }
  }

  /** The repository file Jsonnet would read, made present; or undefined. */
  async function resolveImport(
    from: ImportingText,
    dir: string,
    found: JsonnetImport,
    libDirs: string[],
  ): Promise<string | undefined> {
    const where = from.label ? `${from.label}, line` : 'line';
    const what = `${found.kind} on ${where} ${found.line}`;
    const bases = [dir, ...[...libDirs].reverse()];
    // All candidates first: one that escapes is refused even if an earlier
    // one exists, so the rule does not depend on what the repository holds.
    const candidates = bases.map(base =>
      resolveRepoPath(base, found.path, { file: from.file, what }),
    );
    for (const candidate of candidates) {
      if ((await workspace.kind(candidate)) !== 'file') continue;
      await workspace.addTree(posix.dirname(candidate));
      return candidate;
    }
    // Jsonnet reports the missing file itself.
    return undefined;
  }

  return async file => {
    libs ??= resolveLibs();
    const libDirs = await libs;
    const dir = posix.dirname(file);
    await checkImports(file, dir, libDirs);
    const args = [
      ...variableArgs(options.extVars, 'ext'),
      ...variableArgs(options.tlas, 'tla'),
      ...libDirs.flatMap(lib => ['-J', workspace.abs(lib)]),
      '--',
      workspace.abs(file),
    ];
    const output = await runner.run('jsonnet', args, {
      cwd: workspace.abs(dir === '.' ? '' : dir),
      scrub: [workspace.dir],
      file,
    });
    return toObjects(file, output, limits);
  };
}

/** Jsonnet source: a file, or a code variable used while rendering one. */
interface ImportingText {
  file: string;
  label?: string;
  source: string;
}

function parseImports({ file, label, source }: ImportingText): JsonnetImport[] {
  try {
    return findJsonnetImports(source);
  } catch (error) {
    const where = label ? ` (${label})` : '';
    throw new RepositoryError(
      'InvalidManifest',
      `${file}${where}: ${(error as Error).message}`,
      { file },
    );
  }
}

function variableArgs(
  variables: JsonnetVariable[] | undefined,
  prefix: 'ext' | 'tla',
): string[] {
  return (variables ?? []).flatMap(({ name, value, code }) => {
    // `name` alone would make jsonnet read the backend's environment.
    if (!name || /[=\0\n\r]/.test(name) || typeof value !== 'string') {
      throw new RepositoryError(
        'InvalidSource',
        `Jsonnet ${
          prefix === 'ext' ? 'external variable' : 'top-level argument'
        } "${name}" needs a name without "=" and a string value`,
      );
    }
    return [`--${prefix}-${code ? 'code' : 'str'}`, `${name}=${value}`];
  });
}

function toObjects(
  file: string,
  output: string,
  limits: ParseLimits,
): ManifestObject[] {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch (error) {
    throw new RepositoryError(
      'InvalidManifest',
      `${file}: jsonnet output is not JSON: ${(error as Error).message}`,
      { file },
    );
  }
  if (!Array.isArray(value)) return objectsFromValue(file, value, limits);
  return flatten(value, limits.maxDepth, file).flatMap((item, index) =>
    objectsFromValue(file, item, limits, ` (item ${index + 1})`),
  );
}

function flatten(items: unknown[], maxDepth: number, file: string): unknown[] {
  const flat: unknown[] = [];
  const walk = (list: unknown[], depth: number) => {
    if (depth > maxDepth) {
      throw new RepositoryError(
        'InvalidManifest',
        `${file}: arrays nested deeper than ${maxDepth} levels`,
        { file },
      );
    }
    for (const item of list) {
      if (Array.isArray(item)) walk(item, depth + 1);
      else flat.push(item);
    }
  };
  walk(items, 0);
  return flat;
}
