import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApplicationDefinition,
  ApplicationProblem,
  AppProject,
  DEFAULT_PROJECT,
} from '@backstage-gitops/plugin-gitops-common';
import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient } from '../../cluster/ClusterClient';
import { RepositoryService } from '../../repository';
import { ArgoMapContext, applicationFromArgo } from './mapApplication';
import { projectFromArgo } from './mapProject';
import {
  ArgoObjects,
  readArgoClusterLocation,
  readArgoGitLocation,
} from './readArgoObjects';
import { ArgoSettings } from './settings';
import { ArgoNamespaceWatch, watchArgoNamespace } from './watchArgoNamespace';
import { hasOurFinalizers } from '../../scheduling/applicationFinalizers';

/**
 * An Application object of a cluster location that is being deleted: no
 * longer reconciled, its finalizers run by `finalizeApplications`.
 */
export type DeletingApplication = {
  application: ApplicationDefinition;
  /** Where the object lives. */
  cluster: string;
  namespace: string;
};

/** What the Argo CD locations define: applications, projects, and problems. */
export type ArgoDefinitions = {
  /** Without those being deleted. */
  applications: ApplicationDefinition[];
  deleting: DeletingApplication[];
  problems: ApplicationProblem[];
  /** Always includes the built-in permissive `default`, unless redefined. */
  projects: Map<string, AppProject>;
};

export interface ArgoSource {
  /**
   * What the locations define now, from memory: Git folders are read again
   * every `cacheMs` and mapped again only when their commit changed; cluster
   * namespaces are watched when the source can. Concurrent callers share
   * one read.
   */
  read(): Promise<ArgoDefinitions>;
  /** Read the Git folders at the next `read`, e.g. after a webhook. */
  invalidate(): void;
  /** The repositories read for definitions, for webhooks. */
  gitRepositories(): string[];
  /** The Application objects of cluster locations being deleted, read now. */
  readDeleting(): Promise<DeletingApplication[]>;
  /** Called when a watched location changed; `read` then has the change. */
  onChange(listener: () => void): void;
  /** Ends the watches. */
  stop(): Promise<void>;
}

/** Joins mapped objects into definitions; pure, so it is tested directly. */
export function mapArgoObjects(
  read: ArgoObjects[],
  context: ArgoMapContext,
): ArgoDefinitions {
  const applications: ApplicationDefinition[] = [];
  const deleting: DeletingApplication[] = [];
  const problems = read.flatMap(r => r.problems);
  const projects = new Map<string, AppProject>();
  const projectOrigins = new Map<string, string>();
  for (const { origin, object, cluster } of read.flatMap(r => r.objects)) {
    const kind = (object as { kind?: string }).kind;
    if (kind === 'AppProject') {
      const result = projectFromArgo(object);
      for (const message of result.problems) problems.push({ origin, message });
      if (!result.project) continue;
      const earlier = projectOrigins.get(result.project.name);
      if (earlier) {
        problems.push({
          origin,
          message: `project "${result.project.name}" is already defined by ${earlier}`,
        });
        continue;
      }
      projects.set(result.project.name, result.project);
      projectOrigins.set(result.project.name, origin);
      continue;
    }
    const result = applicationFromArgo(object, context);
    for (const message of result.problems) problems.push({ origin, message });
    if (!result.application) continue;
    // Argo CD stops reconciling an Application once it is being deleted.
    const finalizers = deletionOf(object);
    if (!finalizers) {
      applications.push(result.application);
      continue;
    }
    problems.push({
      origin,
      message: finalizers.length
        ? `being deleted; finalizers: ${finalizers.join(', ')}`
        : 'being deleted',
    });
    if (cluster && hasOurFinalizers(finalizers)) {
      deleting.push({ application: result.application, ...cluster });
    }
  }
  if (!projects.has(DEFAULT_PROJECT.name)) {
    projects.set(DEFAULT_PROJECT.name, DEFAULT_PROJECT);
  }
  return { applications, deleting, problems, projects };
}

/** The finalizers of an object being deleted; undefined when it is not. */
function deletionOf(object: unknown): string[] | undefined {
  const metadata = (object as { metadata?: Record<string, unknown> }).metadata;
  if (!metadata?.deletionTimestamp) return undefined;
  const { finalizers } = metadata;
  return Array.isArray(finalizers)
    ? finalizers.filter((f): f is string => typeof f === 'string')
    : [];
}

/** A Git folder as last read: reused while its commit stays the same. */
type GitRead = { revision?: string; read: ArgoObjects };

export function createArgoSource(deps: {
  settings: ArgoSettings;
  repository: RepositoryService;
  clientFor: (cluster: string) => ClusterClient;
  /** Kubeconfigs of the declared clusters: cluster locations are watched. */
  kubeConfigFor?: (cluster: string) => KubeConfig;
  /** Read on every mapping: kubeconfig files may change. */
  mapContext: () => ArgoMapContext;
  logger: LoggerService;
}): ArgoSource {
  const { settings } = deps;
  const listeners: (() => void)[] = [];
  let git: { at: number; value: Promise<GitRead[]> } | undefined;
  let mapped: { inputs: ArgoObjects[]; value: ArgoDefinitions } | undefined;
  let watches: ArgoNamespaceWatch[] | undefined;
  let stopped = false;

  async function readGit(previous: GitRead[] | undefined): Promise<GitRead[]> {
    return Promise.all(
      settings.git.map(async (location, i) => {
        const { revision, ...objects } = await readArgoGitLocation(
          deps.repository,
          location,
          i,
        );
        const before = previous?.[i];
        // The same commit has the same objects: keep the ones mapped.
        const same = revision !== undefined && before?.revision === revision;
        return same ? before : { revision, read: objects };
      }),
    );
  }

  function gitReads(): Promise<GitRead[]> {
    if (!git || Date.now() - git.at > settings.cacheMs) {
      const previous = git?.value;
      const value = (previous ?? Promise.resolve(undefined))
        .catch(() => undefined)
        .then(readGit);
      git = { at: Date.now(), value };
      // A failed read is not kept: the next caller tries again.
      value.catch(error => {
        if (git?.value === value) git = undefined;
        deps.logger.warn('gitops: reading Argo CD definitions failed', error);
      });
    }
    return git.value;
  }

  function clusterWatches(): ArgoNamespaceWatch[] | undefined {
    const { kubeConfigFor } = deps;
    if (!kubeConfigFor || stopped) return undefined;
    watches ??= settings.clusters.map(location =>
      watchArgoNamespace({
        location,
        kubeConfig: () => kubeConfigFor(location.cluster),
        retryMs: settings.cacheMs,
        logger: deps.logger,
        onChange: () => {
          for (const listener of listeners) listener();
        },
      }),
    );
    return watches;
  }

  async function clusterReads(): Promise<ArgoObjects[]> {
    const watched = clusterWatches();
    if (watched) return Promise.all(watched.map(watch => watch.read()));
    return Promise.all(
      settings.clusters.map(location =>
        readArgoClusterLocation(deps.clientFor, location),
      ),
    );
  }

  async function read(): Promise<ArgoDefinitions> {
    const [fromGit, fromClusters] = await Promise.all([
      gitReads(),
      clusterReads(),
    ]);
    const inputs = [...fromGit.map(g => g.read), ...fromClusters];
    const same =
      mapped?.inputs.length === inputs.length &&
      inputs.every((input, i) => mapped?.inputs[i] === input);
    if (!same || !mapped) {
      mapped = { inputs, value: mapArgoObjects(inputs, deps.mapContext()) };
    }
    return mapped.value;
  }

  return {
    read() {
      const nothingConfigured =
        !settings.git.length && !settings.clusters.length;
      if (nothingConfigured) {
        mapped ??= { inputs: [], value: mapArgoObjects([], deps.mapContext()) };
        return Promise.resolve(mapped.value);
      }
      return read();
    },
    invalidate() {
      if (git) git = { ...git, at: 0 };
    },
    gitRepositories() {
      return settings.git.map(location => location.repoURL);
    },
    async readDeleting() {
      // Git holds no deletions: only the cluster locations are read.
      const listed = await Promise.all(
        settings.clusters.map(location =>
          readArgoClusterLocation(deps.clientFor, location),
        ),
      );
      // Watched locations drop an object being deleted at its watch event;
      // unwatched ones are listed at every read.
      return mapArgoObjects(listed, deps.mapContext()).deleting;
    },
    onChange(listener) {
      listeners.push(listener);
    },
    async stop() {
      stopped = true;
      await Promise.all((watches ?? []).map(watch => watch.stop()));
    },
  };
}
