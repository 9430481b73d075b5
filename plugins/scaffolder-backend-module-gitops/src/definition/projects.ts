import { Config } from '@backstage/config';
import picomatch from 'picomatch';
import { ApplicationRequest } from './applicationRequest';

/**
 * What a project lets its applications use, after Argo CD's AppProject:
 * source repositories and destinations as globs (`*` matches anything).
 */
export type ProjectPolicy = {
  name: string;
  sourceRepos: string[];
  destinations: Array<{ cluster: string; namespace: string }>;
};

/**
 * Projects declared in `gitops.projects`. The `default` project allows every
 * repository and destination unless it is declared, as Argo CD's does.
 */
export function readProjects(config: Config): Map<string, ProjectPolicy> {
  const projects = new Map<string, ProjectPolicy>();
  projects.set('default', {
    name: 'default',
    sourceRepos: ['*'],
    destinations: [{ cluster: '*', namespace: '*' }],
  });
  for (const entry of config.getOptionalConfigArray('gitops.projects') ?? []) {
    const name = entry.getString('name');
    projects.set(name, {
      name,
      sourceRepos: entry.getOptionalStringArray('sourceRepos') ?? [],
      destinations: (entry.getOptionalConfigArray('destinations') ?? []).map(
        d => ({
          cluster: d.getOptionalString('cluster') ?? '*',
          namespace: d.getOptionalString('namespace') ?? '*',
        }),
      ),
    });
  }
  return projects;
}

// Argo CD's globs: `*` also crosses "/" (repository URLs have many), which
// is what picomatch's bash mode does with a single star.
const matches = (pattern: string, value: string) =>
  picomatch.isMatch(value, pattern, { bash: true, dot: true });

/**
 * Why the project refuses the application, or undefined when it allows it.
 * A pure check: the policies come from config, the request from the template.
 */
export function checkProjectAllows(
  projects: Map<string, ProjectPolicy>,
  request: ApplicationRequest,
): string | undefined {
  const project = projects.get(request.project);
  if (!project) {
    const known = [...projects.keys()].sort().join(', ');
    return `project "${request.project}" does not exist (known projects: ${known})`;
  }
  if (!project.sourceRepos.some(p => matches(p, request.repoUrl))) {
    return `project "${project.name}" does not allow repository ${
      request.repoUrl
    } (allowed: ${project.sourceRepos.join(', ') || 'none'})`;
  }
  const { cluster, namespace } = request.destination;
  const allowed = project.destinations.some(
    d => matches(d.cluster, cluster) && matches(d.namespace, namespace),
  );
  if (!allowed) {
    const list = project.destinations
      .map(d => `${d.cluster}/${d.namespace}`)
      .join(', ');
    return `project "${
      project.name
    }" does not allow destination ${cluster}/${namespace} (allowed: ${
      list || 'none'
    })`;
  }
  return undefined;
}

/** Clusters an application may name: `gitops.clusters` plus `in-cluster`. */
export function readClusterNames(config: Config): string[] {
  const names = (config.getOptionalConfigArray('gitops.clusters') ?? []).map(
    c => c.getString('name'),
  );
  return [...new Set(['in-cluster', ...names])];
}
