import { LoggerService } from '@backstage/backend-plugin-api';
import { ApplicationSource } from '@backstage-gitops/plugin-gitops-common';
import { isRepositoryError, RepositoryError } from './errors';
import { CommitDescription, GitMirrors } from './gitMirrors';
import { DEFAULT_PARSE_LIMITS, ParseLimits } from './parseManifests';
import { ReadTreeLimits } from './readTree';
import {
  isReusable,
  RenderCacheEntry,
  sourceHash,
  sourcesHash,
} from './renderCache';
import { RenderedManifest } from './renderDirectory';
import { renderSource } from './renderSource';
import { normaliseAppPath } from './repoUrl';
import { isFullSha } from './revision';
import { createToolRunner, ToolLimits, ToolPaths } from './runTool';
import {
  DirectorySourceOptions,
  HelmOptions,
  KustomizeOptions,
} from './sourceOptions';
import { displayUrl } from './sanitise';
import { createWorkspace, Workspace } from './workspace';

/**
 * @public An application's source, with Argo CD's options for directories
 * (and Jsonnet), Helm and Kustomize.
 */
export type RenderSource = Omit<ApplicationSource, 'path'> & {
  /** Optional only for a `ref` source, which then renders nothing. */
  path?: string;
  directory?: DirectorySourceOptions;
  helm?: HelmOptions;
  kustomize?: KustomizeOptions;
  /** Names the source for `$<ref>/…` Helm value files of other sources. */
  ref?: string;
  /** A chart from a Helm repository: refused, charts must be in Git. */
  chart?: string;
};

/** @public */
export interface RenderRequest {
  appName: string;
  /** One source, or `sources` (which wins when both are given, as in Argo CD). */
  source?: RenderSource;
  sources?: RenderSource[];
  /** The destination namespace: Helm's `--namespace`. */
  namespace?: string;
  /** A hard refresh: forget the cached output first, as Argo CD does. */
  hard?: boolean;
}

/** @public */
export interface RenderResult {
  /** The full commit SHA the manifests were rendered from (first source). */
  revision: string;
  /** The commit of each source, in order. */
  revisions: string[];
  manifests: RenderedManifest[];
  /** True when nothing was read or parsed: the output was still valid. */
  cached: boolean;
}

/**
 * Argo CD's repo server: the desired state of an application, from Git.
 *
 * @public
 */
export interface RepositoryService {
  render(request: RenderRequest): Promise<RenderResult>;
  /** Drops an application's cached output, such as when it is deleted. */
  forget(appName: string): void;
  /** Author, date and message of a commit the mirror has. */
  describeRevision(repoURL: string, sha: string): Promise<CommitDescription>;
}

/** @public */
export interface RepositoryServiceOptions {
  mirrors: GitMirrors;
  logger?: LoggerService;
  /** For all files one source reads, its path and whatever tools need. */
  readLimits?: Partial<ReadTreeLimits>;
  parseLimits?: Partial<ParseLimits>;
  /** Paths of helm, kustomize and jsonnet; default: those names on PATH. */
  tools?: ToolPaths;
  toolLimits?: Partial<ToolLimits>;
  /** Helm's `.Capabilities.KubeVersion`. Default 1.35.0. */
  kubeVersion?: string;
  /**
   * Objects one application may render, all sources together
   * (`gitops.limits.maxApplicationObjects`). Default 10,000.
   */
  maxObjects?: number;
}

const DEFAULT_MAX_APPLICATION_OBJECTS = 10_000;

/** @public */
export function createRepositoryService(
  options: RepositoryServiceOptions,
): RepositoryService {
  const { mirrors, logger } = options;
  const parseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.parseLimits };
  const runner = createToolRunner({
    tools: options.tools,
    limits: options.toolLimits,
  });
  const kubeVersion = options.kubeVersion ?? '1.35.0';
  const maxObjects = options.maxObjects ?? DEFAULT_MAX_APPLICATION_OBJECTS;
  // One entry per application: Argo CD renders per application too, since
  // later tools (Helm's release name, plugins' environment) see its name.
  const cache = new Map<string, RenderCacheEntry>();

  async function resolve(url: string, targetRevision: string): Promise<string> {
    // Commits never change, so a pinned SHA the mirror has needs no fetch.
    if (isFullSha(targetRevision)) {
      try {
        return await mirrors.resolveRevision(url, targetRevision);
      } catch (error) {
        if (!isRepositoryError(error, 'NotFound')) throw error;
      }
    }
    await mirrors.fetch(url);
    return mirrors.resolveRevision(url, targetRevision);
  }

  async function render(request: RenderRequest): Promise<RenderResult> {
    const { appName, namespace } = request;
    const sources = checkSources(request);
    // A ref source without a path only lends its files to value files.
    const paths = sources.map(source =>
      source.ref && source.path === undefined
        ? undefined
        : normaliseAppPath(source.path ?? ''),
    );
    if (request.hard) cache.delete(appName);
    const hash = sourcesHash(
      sources.map((source, i) =>
        sourceHash({ ...source, path: paths[i] ?? '\0ref-only' }),
      ),
      { namespace: namespace ?? '' },
    );
    const revisions = await Promise.all(
      sources.map(source => resolve(source.repoURL, source.targetRevision)),
    );

    const entry = cache.get(appName);
    if (
      entry &&
      (await isReusable(entry, hash, revisions, (i, ids) =>
        mirrors.objectIds(sources[i].repoURL, revisions[i], ids),
      ))
    ) {
      logger?.debug(
        `application ${appName}: output unchanged at ${revisions.join(', ')}`,
      );
      cache.set(appName, {
        ...entry,
        sources: entry.sources.map((s, i) => ({
          ...s,
          revision: revisions[i],
        })),
      });
      // Copies, so a caller that edits its objects cannot edit the cache.
      return {
        revision: revisions[0],
        revisions,
        manifests: structuredClone(entry.manifests),
        cached: true,
      };
    }

    const workspaces: Workspace[] = [];
    const manifests: RenderedManifest[] = [];
    try {
      for (const [i, source] of sources.entries()) {
        workspaces.push(
          await createWorkspace({
            mirrors,
            url: source.repoURL,
            revision: revisions[i],
            limits: options.readLimits,
          }),
        );
      }
      const refs = new Map(
        sources.flatMap((source, i) =>
          source.ref ? [[source.ref, workspaces[i]] as const] : [],
        ),
      );
      for (const [i, source] of sources.entries()) {
        const path = paths[i];
        if (path === undefined) continue;
        const started = Date.now();
        try {
          const rendered = await renderSource({
            appName,
            namespace,
            path,
            options: source,
            workspace: workspaces[i],
            refs,
            runner,
            kubeVersion,
            limits: parseLimits,
          });
          // Not push(...): a spread of this size overflows the call stack.
          for (const manifest of rendered.manifests) manifests.push(manifest);
          logger?.debug(
            `application ${appName}: rendered ${displayUrl(source.repoURL)} "${
              path || '.'
            }" (${rendered.tool}) in ${Date.now() - started}ms`,
          );
        } catch (error) {
          throw sources.length > 1 ? inSource(error, i, sources) : error;
        }
        // Every comparison and sync costs per object; refused before either.
        if (manifests.length > maxObjects) {
          throw tooManyObjects(
            manifests.length,
            maxObjects,
            i < sources.length - 1,
          );
        }
      }
    } finally {
      await Promise.all(workspaces.map(w => w.dispose()));
    }
    cache.set(appName, {
      sourceHash: hash,
      sources: workspaces.map((workspace, i) => ({
        revision: revisions[i],
        dependencies: workspace.dependencies(),
      })),
      manifests,
    });
    return {
      revision: revisions[0],
      revisions,
      manifests: structuredClone(manifests),
      cached: false,
    };
  }

  return {
    async render(request) {
      try {
        return await render(request);
      } catch (error) {
        throw isRepositoryError(error) ? error.forApp(request.appName) : error;
      }
    },
    forget(appName) {
      cache.delete(appName);
    },
    describeRevision(repoURL, sha) {
      return mirrors.describeCommit(repoURL, sha);
    },
  };
}

function checkSources(request: RenderRequest): RenderSource[] {
  const sources = request.sources?.length
    ? request.sources
    : request.source && [request.source];
  if (!sources) {
    throw new RepositoryError('InvalidSource', 'the application has no source');
  }
  const refs = new Set<string>();
  for (const source of sources) {
    if (source.chart) {
      throw new RepositoryError(
        'Unsupported',
        `chart "${source.chart}" comes from a Helm repository; only charts in Git are rendered (use path)`,
        { repoUrl: displayUrl(source.repoURL) },
      );
    }
    if (source.ref !== undefined) {
      if (!/^[A-Za-z0-9_-]+$/.test(source.ref) || refs.has(source.ref)) {
        throw new RepositoryError(
          'InvalidSource',
          `ref "${source.ref}" must be a unique name of letters, digits, "-" and "_"`,
          { repoUrl: displayUrl(source.repoURL) },
        );
      }
      refs.add(source.ref);
    }
  }
  return sources;
}

/** The error, saying which of several sources it came from. */
function inSource(
  error: unknown,
  index: number,
  sources: RenderSource[],
): unknown {
  if (!isRepositoryError(error)) return error;
  return new RepositoryError(
    error.code,
    `source ${index + 1} of ${sources.length}: ${error.detail}`,
    {
      repoUrl: error.repoUrl ?? displayUrl(sources[index].repoURL),
      file: error.file,
    },
  );
}

function tooManyObjects(count: number, limit: number, more: boolean) {
  return new RepositoryError(
    'TooLarge',
    `renders ${count}${
      more ? ' or more' : ''
    } objects, more than the limit of ${limit} objects per application (gitops.limits.maxApplicationObjects)`,
  );
}
