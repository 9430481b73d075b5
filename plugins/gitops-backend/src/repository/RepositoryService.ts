import { LoggerService } from '@backstage/backend-plugin-api';
import { ApplicationSource } from '@internal/backstage-plugin-gitops-common';
import { isRepositoryError, RepositoryError } from './errors';
import { detectTool } from './detectTool';
import { GitMirrors } from './gitMirrors';
import { DEFAULT_PARSE_LIMITS, ParseLimits } from './parseManifests';
import { ReadTreeLimits } from './readTree';
import { isReusable, RenderCacheEntry, sourceHash } from './renderCache';
import { RenderedManifest, renderDirectory } from './renderDirectory';
import { normaliseAppPath } from './repoUrl';
import { isFullSha } from './revision';
import { DirectoryOptions } from './selectFiles';

/** @public An application's source, with Argo CD's directory options. */
export type RenderSource = ApplicationSource & { directory?: DirectoryOptions };

/** @public */
export interface RenderRequest {
  appName: string;
  source: RenderSource;
  /** A hard refresh: forget the cached output first, as Argo CD does. */
  hard?: boolean;
}

/** @public */
export interface RenderResult {
  /** The full commit SHA the manifests were rendered from. */
  revision: string;
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
}

/** @public */
export interface RepositoryServiceOptions {
  mirrors: GitMirrors;
  logger?: LoggerService;
  readLimits?: Partial<ReadTreeLimits>;
  parseLimits?: Partial<ParseLimits>;
}

const TOOL_NAMES = { helm: 'Helm', kustomize: 'Kustomize', jsonnet: 'Jsonnet' };

/** @public */
export function createRepositoryService(
  options: RepositoryServiceOptions,
): RepositoryService {
  const { mirrors, logger } = options;
  const parseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.parseLimits };
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

  async function render({
    appName,
    source,
    hard,
  }: RenderRequest): Promise<RenderResult> {
    const path = normaliseAppPath(source.path);
    const url = source.repoURL;
    if (hard) cache.delete(appName);
    const hash = sourceHash({ ...source, path });
    const revision = await resolve(url, source.targetRevision);

    const entry = cache.get(appName);
    if (
      entry &&
      (await isReusable(entry, hash, revision, paths =>
        mirrors.objectIds(url, revision, paths),
      ))
    ) {
      logger?.debug(`application ${appName}: output unchanged at ${revision}`);
      cache.set(appName, { ...entry, revision });
      // Copies, so a caller that edits its objects cannot edit the cache.
      return {
        revision,
        manifests: structuredClone(entry.manifests),
        cached: true,
      };
    }

    const snapshot = await mirrors.readTree(
      url,
      revision,
      path,
      options.readLimits,
    );
    let manifests: RenderedManifest[];
    try {
      const topLevel = snapshot.files
        .map(file => (path ? file.slice(path.length + 1) : file))
        .filter(name => !name.includes('/'));
      const tool = detectTool(topLevel);
      if (tool !== 'directory') {
        throw new RepositoryError(
          'Unsupported',
          `path "${path || '.'}" is a ${
            TOOL_NAMES[tool]
          } source, which is not supported yet`,
          { file: path },
        );
      }
      manifests = await renderDirectory({
        rootDir: snapshot.dir,
        appPath: path,
        directory: source.directory,
        limits: parseLimits,
      });
    } finally {
      await snapshot.dispose();
    }
    cache.set(appName, {
      sourceHash: hash,
      revision,
      dependencies: snapshot.dependencies,
      manifests,
    });
    return { revision, manifests: structuredClone(manifests), cached: false };
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
  };
}
