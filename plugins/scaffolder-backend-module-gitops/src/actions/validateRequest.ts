import { ConflictError, InputError } from '@backstage/errors';
import { normaliseRepoPath } from '@backstage-gitops/plugin-gitops-common';
import { ApplicationRequest } from '../definition/applicationRequest';
import { GitopsApi } from '../client/GitopsApiClient';

/**
 * Refuses, before anything is written, a request the reconciler would refuse
 * or that would clash. The reconciler judges it by its own rules (the shared
 * definition check, its declared clusters, the AppProject as it knows it, the
 * names in use), so the action keeps no copy of them.
 */
export async function validateRequest(
  request: ApplicationRequest,
  api: GitopsApi,
): Promise<void> {
  const problems = await api.validateApplication({
    name: request.name,
    project: request.project,
    source: {
      repoURL: request.repoUrl,
      path: normaliseRepoPath(request.path),
      targetRevision: request.revision,
    },
    destination: request.destination,
    syncPolicy: request.syncPolicy,
  });
  if (!problems.length) return;
  const reasons = problems.map(p => p.message).join('; ');
  if (problems.some(p => p.kind === 'nameTaken')) {
    throw new ConflictError(
      `Cannot create the application: ${reasons}; choose another name`,
    );
  }
  throw new InputError(`Cannot create the application: ${reasons}`);
}
