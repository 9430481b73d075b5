import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { ApplicationService } from '../applications/ApplicationService';
import { ArgoSource } from '../applications/argocd/ArgoSource';
import { applicationsForPush, pushConcerns } from './matchApplications';
import { PushEvent } from './parsePush';
import { RepositoryService } from '../repository';

/**
 * Turns a verified push into refreshes of the applications it concerns.
 * The refreshes run in the background: Git hosts wait only seconds for an
 * answer, and a refresh that leads to an automated sync starts it itself.
 */
export function createWebhookService(deps: {
  applications: ApplicationService;
  argo?: ArgoSource;
  refresh: (app: ApplicationDefinition) => Promise<unknown>;
  /** Told first, so the refreshes ask Git instead of a recent answer. */
  repository?: Pick<RepositoryService, 'repositoryChanged'>;
  auth: AuthService;
  logger: LoggerService;
}) {
  return {
    async onPush(event: PushEvent): Promise<string[]> {
      for (const url of event.repoURLs) deps.repository?.repositoryChanged(url);
      // A push to a definitions repository may add or change applications.
      if (deps.argo && pushConcerns(deps.argo.gitRepositories(), event)) {
        await deps.applications.reloadDefinitions();
      }
      const credentials = await deps.auth.getOwnServiceCredentials();
      const { applications } = await deps.applications.readDefinitions(
        credentials,
      );
      const matched = applicationsForPush(applications, event);
      for (const app of matched) {
        deps
          .refresh(app)
          .catch(error =>
            deps.logger.warn(
              `gitops: refresh of ${app.name} after a webhook failed`,
              error,
            ),
          );
      }
      return matched.map(app => app.name);
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
