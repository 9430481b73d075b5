import { readdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { KUSTOMIZATION_FILES } from './detectTool';
import { RepositoryError } from './errors';
import {
  DEFAULT_PARSE_LIMITS,
  parseConfigYaml,
  ParseLimits,
  parseManifestFile,
} from './parseManifests';
import { RenderedManifest } from './renderDirectory';
import { ToolRunner } from './runTool';
import { KustomizeOptions } from './sourceOptions';
import { resolveRepoPath, Workspace } from './workspace';

export interface KustomizeRenderRequest {
  workspace: Workspace;
  appPath: string;
  options?: KustomizeOptions;
  runner: ToolRunner;
  limits?: ParseLimits;
}

// Entries of these lists may be folders anywhere (kustomize loads them as
// kustomizations, with no load restriction); everything else a
// kustomization names (patches, generator files, crds, configurations) must
// sit below its own folder, which kustomize's LoadRestrictionsRootOnly
// enforces itself.
const FOLDER_FIELDS = [
  'resources',
  'bases',
  'components',
  'generators',
  'transformers',
  'validators',
];

const URL_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;
// What kustomize would try as a Git repository once no local path matches.
const REMOTE_LIKE =
  /^(git::|git@|[\w-]+(\.[\w-]+)+\/)|[?&](ref|version|timeout|submodules)=/;

/**
 * `kustomize build` as Argo CD runs it: on a copy of the application's
 * folder, after `kustomize edit` has applied the application's overrides.
 *
 * Kustomize fetches any base it cannot find locally from the network, and
 * loads base folders from anywhere on disk. So, before it runs, every
 * kustomization it would load is read here: each folder entry must be a
 * folder of this repository at this commit, and is read into the workspace;
 * URLs, paths outside the repository and missing folders are refused,
 * naming the kustomization file.
 */
export async function renderKustomize(
  request: KustomizeRenderRequest,
): Promise<RenderedManifest[]> {
  const { workspace, appPath, runner } = request;
  const kustomization = await readReferences(workspace, appPath);
  const appDir = workspace.abs(appPath);
  const run = (args: string[]) =>
    runner.run('kustomize', args, {
      cwd: appDir,
      scrub: [workspace.dir],
      file: kustomization,
    });
  for (const edit of overrideEdits(request.options ?? {})) await run(edit);
  const output = await run([
    'build',
    '--load-restrictor',
    'LoadRestrictionsRootOnly',
    appDir,
  ]);
  return parseManifestFile(
    kustomization,
    output,
    request.limits ?? DEFAULT_PARSE_LIMITS,
  ).map(manifest => ({ file: kustomization, manifest }));
}

/**
 * Walks the kustomizations from the application's folder, reading every
 * folder they refer to into the workspace. Returns the application's
 * kustomization file.
 */
async function readReferences(
  workspace: Workspace,
  appPath: string,
): Promise<string> {
  const visited = new Set<string>();
  const queue = [appPath];
  let root: string | undefined;
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    if (visited.has(dir)) continue;
    visited.add(dir);
    const file = await findKustomization(workspace, dir);
    // A folder without one is kustomize's to report.
    if (!file) continue;
    root ??= file;
    for (const entry of await folderEntries(workspace, file)) {
      const target = await checkEntry(workspace, dir, file, entry);
      if (target) queue.push(target);
    }
  }
  if (!root) {
    throw new RepositoryError(
      'NotFound',
      `path "${appPath || '.'}" has no kustomization file`,
      { file: appPath },
    );
  }
  return root;
}

async function findKustomization(
  workspace: Workspace,
  dir: string,
): Promise<string | undefined> {
  const names: string[] = await readdir(workspace.abs(dir)).catch(() => []);
  const name = KUSTOMIZATION_FILES.find(candidate => names.includes(candidate));
  return name && posix.join(dir, name);
}

async function folderEntries(
  workspace: Workspace,
  file: string,
): Promise<{ field: string; value: string }[]> {
  const text = await readFile(workspace.abs(file), 'utf8');
  const content = parseConfigYaml(text, file);
  if (typeof content !== 'object' || content === null) return [];
  const fields = content as Record<string, unknown>;
  return FOLDER_FIELDS.flatMap(field => {
    const list = fields[field];
    if (!Array.isArray(list)) return [];
    return (
      list
        .filter((value): value is string => typeof value === 'string')
        // Generators and transformers may be inline YAML instead of a path.
        .filter(value => !value.includes('\n'))
        .map(value => ({ field, value }))
    );
  });
}

/** The folder to walk next, if the entry is one; throws if refused. */
async function checkEntry(
  workspace: Workspace,
  dir: string,
  file: string,
  { field, value }: { field: string; value: string },
): Promise<string | undefined> {
  const what = `${field} entry`;
  const remote = () =>
    new RepositoryError(
      'Unsupported',
      `${file}: ${what} "${value}" is remote; only folders of the application's repository are built`,
      { file },
    );
  if (URL_SCHEME.test(value) || /^(git::|git@)/.test(value)) throw remote();
  const target = resolveRepoPath(dir, value, { file, what });
  const kind = await workspace.kind(target);
  if (kind === undefined) {
    if (REMOTE_LIKE.test(value)) throw remote();
    throw new RepositoryError(
      'NotFound',
      `${file}: ${what} "${value}" does not exist at commit ${workspace.revision.slice(
        0,
        7,
      )}`,
      { file },
    );
  }
  if (kind === 'dir') {
    await workspace.addTree(target);
    return target;
  }
  if (target !== dir && !target.startsWith(`${dir}/`)) {
    throw new RepositoryError(
      'PathEscape',
      `${file}: ${what} "${value}" is a file outside the kustomization's folder, which kustomize does not load`,
      { file },
    );
  }
  return undefined;
}

/** The `kustomize edit` commands Argo CD runs for the overrides. */
export function overrideEdits(options: KustomizeOptions): string[][] {
  const edits: string[][] = [];
  // `--` keeps a value starting with `-` from being read as a flag.
  if (options.namePrefix) {
    edits.push(['edit', 'set', 'nameprefix', '--', options.namePrefix]);
  }
  if (options.nameSuffix) {
    edits.push(['edit', 'set', 'namesuffix', '--', options.nameSuffix]);
  }
  if (options.images?.length) {
    edits.push(['edit', 'set', 'image', '--', ...options.images]);
  }
  for (const [kind, map] of [
    ['label', options.commonLabels],
    ['annotation', options.commonAnnotations],
  ] as const) {
    const pairs = Object.entries(map ?? {});
    if (pairs.length === 0) continue;
    edits.push([
      'edit',
      'add',
      kind,
      '--force',
      '--',
      ...pairs.map(([key, value]) => metadataArg(kind, key, value)),
    ]);
  }
  if (options.namespace) {
    edits.push(['edit', 'set', 'namespace', '--', options.namespace]);
  }
  return edits;
}

// kustomize splits `key:value` at the first colon and strips one pair of
// surrounding quotes; quoting every value keeps quotes and colons in it.
function metadataArg(kind: string, key: string, value: unknown): string {
  if (!key || key.includes(':') || typeof value !== 'string') {
    throw new RepositoryError(
      'InvalidSource',
      `kustomize common ${kind} "${key}" needs a name without ":" and a string value`,
    );
  }
  return `${key}:"${value}"`;
}
