import { LoggerService } from '@backstage/backend-plugin-api';
import { ApplicationSource } from '@backstage-gitops/plugin-gitops-common';
import { isRepositoryError } from './errors';
import { CommitDescription, GitMirrors } from './gitMirrors';
import { DEFAULT_PARSE_LIMITS, ParseLimits } from './parseManifests';
import { ReadTreeLimits } from './readTree';
import { RenderCacheEntry, sourceHash, sourcesHash } from './renderCache';
import { RenderedManifest } from './renderDirectory';
import { checkSources, inSource, tooManyObjects } from './renderRequest';
import { renderSource } from './renderSource';
import { createRenderStore, RenderCacheLimits } from './renderStore';
import { normaliseAppPath } from './repoUrl';
import { createRevisionResolver } from './revisionResolver';
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
  /**
   * May use the commits a fetch of each repository found up to the
   * service's `revisionCacheMs` ago: for background refreshes (the poll
   * loop, live changes), where one fetch then serves every application of
   * a repository. Otherwise Git is asked (joining a fetch already running),
   * as a user's refresh expects.
   */
  allowCachedRevision?: boolean;
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
  /**
   * Something was pushed to this repository (a webhook): the next render of
   * any application on it asks Git again instead of reusing a recent answer.
   */
  repositoryChanged(repoURL: string): void;
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
  /**
   * How long one fetch of a repository answers the `allowCachedRevision`
   * renders of every application on it, in milliseconds, as Argo CD's repo
   * server caches ls-remote. A hard refresh and `repositoryChanged` ask Git
   * at once. Default 30 s, well under the 3-minute poll interval, so a pass
   * of the loop fetches each repository about once.
   */
  revisionCacheMs?: number;
  /** Bounds of the render cache that all applications share. */
  renderCache?: Partial<RenderCacheLimits>;
}

const DEFAULT_MAX_APPLICATION_OBJECTS = 10_000;
const DEFAULT_REVISION_CACHE_MS = 30_000;

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
  const revisionResolver = createRevisionResolver({
    mirrors,
    ttlMs: options.revisionCacheMs ?? DEFAULT_REVISION_CACHE_MS,
  });
  // Shared by content, not per application: 100 applications on one path
  // render once. An output that depends on the name is kept for its owner.
  const cache = createRenderStore(options.renderCache);
  // Renders running, by sources and commits, for applications to wait on.
  const rendering = new Map<string, Promise<unknown>>();

  async function render(request: RenderRequest): Promise<RenderResult> {
    const { appName, namespace } = request;
    const sources = checkSources(request);
    // A ref source without a path only lends its files to value files.
    const paths = sources.map(source =>
      source.ref && source.path === undefined
        ? undefined
        : normaliseAppPath(source.path ?? ''),
    );
    const hash = sourcesHash(
      sources.map((source, i) =>
        sourceHash({ ...source, path: paths[i] ?? '\0ref-only' }),
      ),
      { namespace: namespace ?? '' },
    );
    if (request.hard) cache.drop(hash, appName);
    const revisions = await Promise.all(
      sources.map(source =>
        revisionResolver.resolve(source.repoURL, source.targetRevision, {
          hard: request.hard,
          allowCached: request.allowCachedRevision,
        }),
      ),
    );
    const cachedResult = async () => {
      const entry = await cache.find(hash, appName, revisions, (i, ids) =>
        mirrors.objectIds(sources[i].repoURL, revisions[i], ids),
      );
      if (!entry) return undefined;
      logger?.debug(
        `application ${appName}: output unchanged at ${revisions.join(', ')}`,
      );
      // Copies, so a caller that edits its objects cannot edit the cache.
      return {
        revision: revisions[0],
        revisions,
        manifests: structuredClone(entry.manifests),
        cached: true,
      };
    };
    const hit = await cachedResult();
    if (hit) return hit;
    // Another application with the same sources is rendering these commits:
    // its output will do, unless it failed or depends on its name; then
    // this one renders on its own, with its own errors.
    const key = `${hash}\0${revisions.join(',')}`;
    const running = rendering.get(key);
    if (running && !request.hard) {
      await running.catch(() => undefined);
      const joined = await cachedResult();
      if (joined) return joined;
    }
    const work = renderAll(request, sources, paths, hash, revisions);
    if (!rendering.has(key)) {
      rendering.set(key, work);
      const done = () => rendering.delete(key);
      work.then(done, done);
    }
    return work;
  }

  async function renderAll(
    request: RenderRequest,
    sources: RenderSource[],
    paths: (string | undefined)[],
    hash: string,
    revisions: string[],
  ): Promise<RenderResult> {
    const { appName, namespace } = request;
    let namedAfterApp = false;
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
          // Helm's release name defaults to the application's name.
          if (rendered.tool === 'helm' && !source.helm?.releaseName) {
            namedAfterApp = true;
          }
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
    const entry: RenderCacheEntry = {
      sourceHash: hash,
      sources: workspaces.map((workspace, i) => ({
        revision: revisions[i],
        dependencies: workspace.dependencies(),
      })),
      manifests,
      ...(namedAfterApp ? { appName } : {}),
    };
    cache.put(entry, appName);
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
      cache.forget(appName);
    },
    repositoryChanged(repoURL) {
      revisionResolver.invalidate(repoURL);
    },
    describeRevision(repoURL, sha) {
      return mirrors.describeCommit(repoURL, sha);
    },
  };
}
