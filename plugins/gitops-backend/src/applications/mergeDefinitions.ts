import {
  ApplicationDefinition,
  ApplicationProblem,
} from '@backstage-gitops/plugin-gitops-common';
import { DefinitionBatch } from './types';

function describeOrigin(application: ApplicationDefinition): string {
  if (application.origin === 'argocd') return 'an Argo CD Application';
  return application.origin === 'catalog'
    ? application.entityRefs[0] ?? 'the catalog'
    : 'app-config';
}

/**
 * Joins the batches of every source into one list keyed by name. Application
 * names are unique, as in Argo CD: a second definition of a name is refused
 * with a problem rather than silently replacing the first.
 */
export function mergeDefinitions(batches: DefinitionBatch[]): DefinitionBatch {
  const byName = new Map<string, ApplicationDefinition>();
  const problems: ApplicationProblem[] = batches.flatMap(b => b.problems);
  for (const application of batches.flatMap(b => b.applications)) {
    const existing = byName.get(application.name);
    if (existing) {
      problems.push({
        origin: describeOrigin(application),
        message: `application name "${
          application.name
        }" is already defined by ${describeOrigin(existing)}`,
      });
    } else {
      byName.set(application.name, application);
    }
  }
  const applications = [...byName.values()].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  return { applications, problems };
}
