import { ConflictError, InputError } from '@backstage/errors';
import {
  ApplicationSummary,
  checkApplicationDefinition,
  normaliseRepoPath,
} from '@internal/backstage-plugin-gitops-common';
import { ApplicationRequest } from '../definition/applicationRequest';
import { checkProjectAllows } from '../definition/projects';
import { GitopsApi } from '../client/GitopsApiClient';
import { GitopsActionSettings } from './settings';

/**
 * Refuses a request the reconciler would refuse or that would clash, before
 * anything is written: the shared definition check (name, URL, path), a
 * destination cluster that is not declared, what the project does not allow,
 * and a name already taken by an application the user can see.
 */
export async function validateRequest(
  request: ApplicationRequest,
  settings: GitopsActionSettings,
  api: GitopsApi,
): Promise<void> {
  const problem = checkApplicationDefinition(
    {
      name: request.name,
      origin: 'catalog',
      entityRefs: [],
      source: {
        repoURL: request.repoUrl,
        path: normaliseRepoPath(request.path),
        targetRevision: request.revision,
      },
      destination: request.destination,
      syncPolicy: request.syncPolicy,
    },
    { allowHttp: settings.allowHttpRepositories },
  );
  if (problem)
    throw new InputError(`Cannot create the application: ${problem}`);

  if (!settings.clusterNames.includes(request.destination.cluster)) {
    throw new InputError(
      `Cannot create the application: cluster "${
        request.destination.cluster
      }" is not declared (known clusters: ${settings.clusterNames.join(', ')})`,
    );
  }
  const refusal = checkProjectAllows(settings.projects, request);
  if (refusal)
    throw new InputError(`Cannot create the application: ${refusal}`);

  const existing = await api.getApplication(request.name);
  if (existing) {
    throw new ConflictError(
      `An application named "${request.name}" already exists (${owner(
        existing,
      )}); choose another name`,
    );
  }
}

function owner(app: ApplicationSummary): string {
  if (app.entityRefs.length) return `defined by ${app.entityRefs.join(', ')}`;
  return app.origin === 'config'
    ? 'defined in app-config'
    : `from ${app.origin}`;
}
