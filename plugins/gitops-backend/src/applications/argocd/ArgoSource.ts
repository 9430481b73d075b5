import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApplicationDefinition,
  ApplicationProblem,
  AppProject,
  DEFAULT_PROJECT,
} from '@backstage-gitops/plugin-gitops-common';
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
  /** The last read, reused for `cacheMs`; concurrent callers share one read. */
  read(): Promise<ArgoDefinitions>;
  /** Forget the last read, e.g. when a webhook says a location changed. */
  invalidate(): void;
  /** The repositories read for definitions, for webhooks. */
  gitRepositories(): string[];
  /** The Application objects of cluster locations being deleted, read now. */
  readDeleting(): Promise<DeletingApplication[]>;
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

export function createArgoSource(deps: {
  settings: ArgoSettings;
  repository: RepositoryService;
  clientFor: (cluster: string) => ClusterClient;
  /** Read on every load: kubeconfig files may change. */
  mapContext: () => ArgoMapContext;
  logger: LoggerService;
}): ArgoSource {
  const { settings } = deps;
  let cached: { at: number; value: Promise<ArgoDefinitions> } | undefined;

  async function load(): Promise<ArgoDefinitions> {
    const read = await Promise.all([
      ...settings.git.map((location, i) =>
        readArgoGitLocation(deps.repository, location, i),
      ),
      ...settings.clusters.map(location =>
        readArgoClusterLocation(deps.clientFor, location),
      ),
    ]);
    return mapArgoObjects(read, deps.mapContext());
  }

  return {
    read() {
      const nothingConfigured =
        !settings.git.length && !settings.clusters.length;
      if (nothingConfigured) {
        return Promise.resolve(mapArgoObjects([], deps.mapContext()));
      }
      if (!cached || Date.now() - cached.at > settings.cacheMs) {
        const value = load();
        cached = { at: Date.now(), value };
        // A failed read is not kept: the next caller tries again.
        value.catch(error => {
          if (cached?.value === value) cached = undefined;
          deps.logger.warn('gitops: reading Argo CD definitions failed', error);
        });
      }
      return cached.value;
    },
    invalidate() {
      cached = undefined;
    },
    gitRepositories() {
      return settings.git.map(location => location.repoURL);
    },
    async readDeleting() {
      // Git holds no deletions: only the cluster locations are read.
      const read = await Promise.all(
        settings.clusters.map(location =>
          readArgoClusterLocation(deps.clientFor, location),
        ),
      );
      const { deleting } = mapArgoObjects(read, deps.mapContext());
      // The cached definitions must stop offering them at once, so that
      // nothing refreshes or syncs an application being deleted.
      if (deleting.length) cached = undefined;
      return deleting;
    },
  };
}
