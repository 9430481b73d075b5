import picomatch from 'picomatch';
import { AppProject, GroupKind, ProjectDestination } from './appProject';
import { maskUrlCredentials, normaliseRepoUrl } from './repoUrl';
import { ApplicationDefinition } from './types';

// Argo CD's globs let `*` cross `/` (repository URLs, API groups).
const matches = (pattern: string, value: string) =>
  picomatch.isMatch(value, pattern, { bash: true, dot: true });

/** @public A resource to be synced, by API group, kind and namespace (none: cluster-scoped). */
export type ProjectResource = {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
};

/** @public Where the application deploys: its cluster's name and API server. */
export type ClusterIdentity = { name: string; server?: string };

/**
 * Argo CD's `sourceRepos`: a repository is allowed when a pattern matches
 * and no `!pattern` does. Patterns are compared with the URL as written and
 * in normal form (host lowercased, no `.git`).
 *
 * @public
 */
export function isSourcePermitted(project: AppProject, repoURL: string) {
  const forms = [repoURL, normaliseRepoUrl(repoURL)];
  const hit = (pattern: string) => forms.some(form => matches(pattern, form));
  const denied = project.sourceRepos.some(
    p => p.startsWith('!') && hit(p.slice(1)),
  );
  return !denied && project.sourceRepos.some(p => !p.startsWith('!') && hit(p));
}

function clusterMatches(rule: ProjectDestination, cluster: ClusterIdentity) {
  return (
    (rule.server !== undefined && matches(rule.server, cluster.server ?? '')) ||
    (rule.name !== undefined && matches(rule.name, cluster.name))
  );
}

/**
 * Argo CD's `destinations`: some rule for the cluster must allow the
 * namespace, and no `!namespace` rule for the cluster may name it. Without a
 * namespace (cluster-scoped only), the cluster alone decides.
 *
 * @public
 */
export function isDestinationPermitted(
  project: AppProject,
  cluster: ClusterIdentity,
  namespace: string | undefined,
): boolean {
  let allowed = false;
  for (const rule of project.destinations) {
    if (!clusterMatches(rule, cluster)) continue;
    const pattern = rule.namespace ?? '';
    if (pattern.startsWith('!')) {
      if (namespace && matches(pattern.slice(1), namespace)) return false;
    } else if (!namespace || pattern === '*' || matches(pattern, namespace)) {
      allowed = true;
    }
  }
  return allowed;
}

const listed = (list: GroupKind[] | undefined, resource: ProjectResource) =>
  (list ?? []).some(
    e =>
      matches(e.group || '""', resource.group || '""') &&
      matches(e.kind, resource.kind),
  );

/** @public Argo CD's resource allow and deny lists, for one resource. */
export function isResourcePermitted(
  project: AppProject,
  resource: ProjectResource,
): boolean {
  if (resource.namespace === undefined) {
    return (
      listed(project.clusterResourceWhitelist, resource) &&
      !listed(project.clusterResourceBlacklist, resource)
    );
  }
  const allowList = project.namespaceResourceWhitelist;
  const allowed =
    allowList === undefined ||
    allowList.length === 0 ||
    listed(allowList, resource);
  return allowed && !listed(project.namespaceResourceBlacklist, resource);
}

/**
 * Every rule of the project the application breaks, in words: its source,
 * its destination, and (once rendered) each resource's kind and namespace.
 *
 * @public
 */
export function projectViolations(input: {
  project: AppProject;
  app: ApplicationDefinition;
  cluster: ClusterIdentity;
  resources?: ProjectResource[];
}): string[] {
  const { project, app, cluster } = input;
  const where = `project "${project.name}"`;
  const violations: string[] = [];
  if (!isSourcePermitted(project, app.source.repoURL)) {
    violations.push(
      `repository ${maskUrlCredentials(
        app.source.repoURL,
      )} is not permitted in ${where}`,
    );
  }
  const namespaces = new Set<string>();
  if (app.destination.namespace) namespaces.add(app.destination.namespace);
  for (const r of input.resources ?? []) {
    if (r.namespace) namespaces.add(r.namespace);
  }
  for (const namespace of namespaces.size ? [...namespaces] : [undefined]) {
    if (!isDestinationPermitted(project, cluster, namespace)) {
      violations.push(
        `destination cluster "${cluster.name}"${
          namespace ? `, namespace "${namespace}"` : ''
        } is not permitted in ${where}`,
      );
    }
  }
  for (const r of input.resources ?? []) {
    if (isResourcePermitted(project, r)) continue;
    const group = r.group || 'core';
    violations.push(
      `${
        r.namespace === undefined ? 'cluster-scoped' : 'namespaced'
      } resource ${group}/${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${
        r.name
      } is not permitted in ${where}`,
    );
  }
  return violations;
}
