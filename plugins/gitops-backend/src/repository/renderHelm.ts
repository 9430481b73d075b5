import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { RepositoryError } from './errors';
import { checkHelmSchemas } from './helmSchemas';
import {
  DEFAULT_PARSE_LIMITS,
  parseConfigYaml,
  ParseLimits,
  parseManifestFile,
} from './parseManifests';
import { RenderedManifest } from './renderDirectory';
import { ToolRunner } from './runTool';
import { HelmOptions, HelmParameter } from './sourceOptions';
import { resolveRepoPath, Workspace } from './workspace';

export interface HelmRenderRequest {
  workspace: Workspace;
  /** The chart's folder. */
  appPath: string;
  appName: string;
  /** The destination namespace, Helm's `--namespace`. */
  namespace?: string;
  options?: HelmOptions;
  /** Workspaces of the sources with a `ref`, for `$<ref>/…` value files. */
  refs?: ReadonlyMap<string, Workspace>;
  runner: ToolRunner;
  /** `.Capabilities.KubeVersion`, fixed so output does not depend on the host. */
  kubeVersion: string;
  limits?: ParseLimits;
}

interface ChartDependency {
  name: string;
  repository: string;
}

/**
 * `helm template` as Argo CD runs it, on a chart folder of the repository.
 * Value files must be files of the repository (or of a `ref` source);
 * nothing is downloaded: dependencies must be committed under `charts/` or
 * be `file://` folders of the repository, which `helm dependency build`
 * then packages without network. Values schemas may not refer outside
 * themselves (see checkHelmSchemas). Hooks come out as ordinary objects
 * with their `helm.sh/hook` annotations.
 */
export async function renderHelm(
  request: HelmRenderRequest,
): Promise<RenderedManifest[]> {
  const { workspace, appPath, runner } = request;
  const options = request.options ?? {};
  const chartFile = posix.join(appPath, 'Chart.yaml');
  const chartDir = workspace.abs(appPath);
  const scrub = [
    workspace.dir,
    ...[...(request.refs?.values() ?? [])].map(w => w.dir),
  ];
  const run = (args: string[]) =>
    runner.run('helm', args, { cwd: chartDir, scrub, file: chartFile });

  await buildDependencies(request, chartFile, run);
  await checkHelmSchemas(workspace, appPath);
  const valueFiles = await resolveValueFiles(request, chartFile);
  const scratch = await mkdtemp(join(tmpdir(), 'gitops-helm-values-'));
  try {
    const inline = inlineValues(options);
    if (inline !== undefined) {
      const path = join(scratch, 'values.yaml');
      await writeFile(path, inline, { mode: 0o600 });
      valueFiles.push(path);
    }
    const output = await run([
      'template',
      ...(request.namespace ? [`--namespace=${request.namespace}`] : []),
      `--kube-version=${request.kubeVersion}`,
      options.skipCrds ? '--skip-crds' : '--include-crds',
      ...valueFiles.map(file => `--values=${file}`),
      ...(options.parameters ?? []).map(setArgument),
      // Positional from here on: a release name cannot pose as a flag.
      '--',
      options.releaseName || request.appName,
      chartDir,
    ]);
    return splitHelmOutput(output, appPath).flatMap(({ file, text }) =>
      parseManifestFile(
        file,
        text,
        request.limits ?? DEFAULT_PARSE_LIMITS,
        'yaml',
      ).map(manifest => ({ file, manifest })),
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readDependencies(
  workspace: Workspace,
  appPath: string,
): Promise<ChartDependency[]> {
  const lists: unknown[] = [];
  // Chart API v1 kept them in requirements.yaml.
  for (const name of ['Chart.yaml', 'requirements.yaml']) {
    const file = posix.join(appPath, name);
    const text = await readFile(workspace.abs(file), 'utf8').catch(
      () => undefined,
    );
    if (text === undefined) continue;
    const content = parseConfigYaml(text, file) as {
      dependencies?: unknown[];
    } | null;
    for (const dependency of content?.dependencies ?? [])
      lists.push(dependency);
  }
  return lists.map(item => {
    const { name, repository } = (item ?? {}) as Record<string, unknown>;
    return {
      name: String(name ?? ''),
      repository: typeof repository === 'string' ? repository : '',
    };
  });
}

/**
 * Packages `file://` dependencies into `charts/` when the chart has
 * dependencies and no `charts/` folder, as Argo CD does; anything that
 * would need a download is refused instead.
 */
async function buildDependencies(
  request: HelmRenderRequest,
  chartFile: string,
  run: (args: string[]) => Promise<string>,
): Promise<void> {
  const { workspace, appPath } = request;
  const dependencies = await readDependencies(workspace, appPath);
  if (dependencies.length === 0) return;
  const charts = await stat(workspace.abs(posix.join(appPath, 'charts'))).catch(
    () => undefined,
  );
  if (charts?.isDirectory()) return;
  for (const { name, repository } of dependencies) {
    if (!repository.startsWith('file://')) {
      throw new RepositoryError(
        'Unsupported',
        `${chartFile}: dependency "${name}" ${
          repository ? `comes from "${repository}"` : 'has no repository'
        } and charts/ is missing; charts are not downloaded: commit the dependency under charts/ or refer to a folder of the repository with file://`,
        { file: chartFile },
      );
    }
    const what = `dependency "${name}"`;
    const target = resolveRepoPath(
      appPath,
      repository.slice('file://'.length),
      {
        file: chartFile,
        what,
      },
    );
    if ((await workspace.kind(target)) !== 'dir') {
      throw new RepositoryError(
        'NotFound',
        `${chartFile}: ${what} "${repository}" is not a folder at commit ${workspace.revision.slice(
          0,
          7,
        )}`,
        { file: chartFile },
      );
    }
    await workspace.addTree(target);
  }
  // `--skip-refresh`: there is no repository index to fetch for file://.
  await run(['dependency', 'build', '--skip-refresh', workspace.abs(appPath)]);
}

/** Absolute paths of the value files, each checked to be a repository file. */
async function resolveValueFiles(
  request: HelmRenderRequest,
  chartFile: string,
): Promise<string[]> {
  const { options = {}, appPath } = request;
  const paths: string[] = [];
  for (const valueFile of options.valueFiles ?? []) {
    const what = `value file "${valueFile}"`;
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(valueFile)) {
      throw new RepositoryError(
        'Unsupported',
        `${what} is a URL; value files are read from the repository only`,
        { file: chartFile },
      );
    }
    let workspace = request.workspace;
    let path: string;
    const ref = /^\$([^/]+)\/(.*)$/.exec(valueFile);
    if (ref) {
      const named = request.refs?.get(ref[1]);
      if (!named) {
        throw new RepositoryError(
          'InvalidSource',
          `${what} refers to "$${ref[1]}", but no source has ref "${ref[1]}"`,
          { file: chartFile },
        );
      }
      workspace = named;
      path = resolveRepoPath('', ref[2], { what: 'value file' });
    } else {
      path = resolveRepoPath(appPath, valueFile, { what: 'value file' });
    }
    const kind = await workspace.kind(path);
    if (kind === undefined && options.ignoreMissingValueFiles) continue;
    if (kind !== 'file') {
      throw new RepositoryError(
        kind ? 'InvalidSource' : 'NotFound',
        `${what} ${
          kind ? 'is a folder' : 'does not exist'
        } at commit ${workspace.revision.slice(0, 7)}`,
        { file: path, repoUrl: workspace.repoUrl },
      );
    }
    await workspace.addTree(
      posix.dirname(path) === '.' ? '' : posix.dirname(path),
    );
    paths.push(workspace.abs(path));
  }
  return paths;
}

function inlineValues(options: HelmOptions): string | undefined {
  // As in Argo CD, valuesObject wins over values. JSON is YAML.
  if (options.valuesObject !== undefined) {
    return JSON.stringify(options.valuesObject);
  }
  return options.values || undefined;
}

/**
 * `--set` or `--set-string`, with commas escaped as Argo CD does (helm
 * would split on them) unless the value is a `{a,b}` list.
 */
export function setArgument({
  name,
  value,
  forceString,
}: HelmParameter): string {
  if (!name || /[=,\0\n\r]/.test(name)) {
    throw new RepositoryError(
      'InvalidSource',
      `Helm parameter "${name}" needs a name without "=" or ","`,
    );
  }
  const text = String(value ?? '');
  const escaped =
    text.startsWith('{') && text.endsWith('}')
      ? text
      : text.replace(/(?<!\\),/g, '\\,');
  return `${forceString ? '--set-string' : '--set'}=${name}=${escaped}`;
}

/**
 * Helm prints each template as `---` then `# Source: <chart>/<path>`; the
 * objects are attributed to that file of the chart's folder.
 */
export function splitHelmOutput(
  output: string,
  appPath: string,
): { file: string; text: string }[] {
  return output
    .split(/^(?=---(?:\s|$))/m)
    .filter(chunk => chunk.trim() !== '')
    .map(text => {
      const source = /^# Source: (.+)$/m.exec(text)?.[1].trim();
      const inChart = source?.split('/').slice(1).join('/');
      const file = inChart
        ? posix.join(appPath, inChart)
        : posix.join(appPath, 'Chart.yaml');
      return { file, text };
    });
}
