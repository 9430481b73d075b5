import { maskUrlCredentials } from '@backstage-gitops/plugin-gitops-common';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotFoundError } from '@backstage/errors';
import { commitApplicationFile } from '../actions/commitApplicationFile';
import { GitopsApiFactory } from '../client/GitopsApiClient';
import {
  ApplicationRequest,
  applicationFields,
} from '../definition/applicationRequest';
import {
  argoApplication,
  argoApplicationYaml,
} from '../definition/argoApplication';
import { awaitRegistration, followUntilHealthy } from '../actions/follow';
import { GitopsActionSettings, gitopsTabUrl } from '../actions/settings';
import { validateRequest } from '../actions/validateRequest';

/**
 * The same verbs as the scaffolder actions, in Backstage's actions registry,
 * so other plugins and MCP clients can call them. Each runs with the caller's
 * credentials against the gitops backend's API, so their permissions apply.
 * Without a scaffolder workspace, create writes an Argo CD Application into a
 * Git location (or only returns it, to commit elsewhere).
 */
export function registerGitopsActions(
  registry: ActionsRegistryService,
  deps: { api: GitopsApiFactory; settings: GitopsActionSettings },
) {
  registry.register({
    name: 'create-gitops-application',
    title: 'Create a GitOps application',
    description:
      'Checks a new GitOps application (name free, project allows its repository and destination) and writes it as an Argo CD Application YAML, committed to a Git location when one is given.',
    attributes: { destructive: false, idempotent: false, readOnly: false },
    schema: {
      input: z =>
        z.object({
          name: applicationFields.name(z),
          repoUrl: applicationFields.repoUrl(z),
          path: applicationFields.path(z),
          revision: applicationFields.revision(z),
          destination: applicationFields.destination(z),
          project: applicationFields.project(z),
          syncPolicy: applicationFields.syncPolicy(z),
          entityRef: z
            .string()
            .optional()
            .describe('The catalog entity the application belongs to'),
          gitLocation: z
            .object({
              repoUrl: z.string(),
              branch: z.string().default('main'),
              file: z.string().describe('Path of the new YAML file'),
            })
            .optional()
            .describe(
              'Where to commit the Application (an Argo CD Git location)',
            ),
        }),
      output: z =>
        z.object({
          id: z.string(),
          yaml: z.string().describe('The Argo CD Application'),
          commit: z.string().optional(),
          gitopsUrl: z.string().optional(),
        }),
    },
    action: async ({ input, credentials, logger }) => {
      const request: ApplicationRequest = input;
      await validateRequest(request, deps.api(credentials));
      const yaml = argoApplicationYaml(
        argoApplication(request, { entityRef: input.entityRef }),
      );
      let commit: string | undefined;
      if (input.gitLocation) {
        commit = await commitApplicationFile({
          settings: deps.settings,
          location: input.gitLocation,
          name: request.name,
          yaml,
          author: {
            name: 'Backstage actions',
            email: 'actions@backstage.local',
          },
        });
        logger.info(
          `Committed ${input.gitLocation.file} to ${input.gitLocation.repoUrl} as ${commit}`,
        );
      }
      return {
        output: {
          id: request.name,
          yaml,
          commit,
          gitopsUrl: input.entityRef
            ? gitopsTabUrl(deps.settings.appBaseUrl, input.entityRef)
            : undefined,
        },
      };
    },
  });

  registry.register({
    name: 'sync-gitops-application',
    title: 'Sync a GitOps application',
    description:
      'Starts a sync of a GitOps application as the caller (optionally pruning resources no longer in Git) and returns the operation id.',
    attributes: { destructive: true, idempotent: false, readOnly: false },
    schema: {
      input: z =>
        z.object({
          name: applicationFields.name(z),
          prune: z.boolean().default(false),
          dryRun: z.boolean().default(false),
        }),
      output: z => z.object({ operationId: z.string(), phase: z.string() }),
    },
    action: async ({ input, credentials }) => {
      const operation = await deps
        .api(credentials)
        .sync(input.name, { prune: input.prune, dryRun: input.dryRun });
      return { output: { operationId: operation.id, phase: operation.phase } };
    },
  });

  registry.register({
    name: 'wait-for-gitops-application',
    title: 'Wait for a GitOps application to be Synced and Healthy',
    description:
      'Waits until a GitOps application is Synced and Healthy, or fails with the reason (a failed hook, a Degraded resource) within the timeout.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          name: applicationFields.name(z),
          operationId: z.string().optional(),
          timeoutSeconds: z.number().int().min(1).max(3600).default(300),
        }),
      output: z =>
        z.object({
          sync: z.string(),
          health: z.string(),
          revision: z.string().optional(),
        }),
    },
    action: async ({ input, credentials, logger }) => {
      const api = deps.api(credentials);
      await awaitRegistration({
        api,
        name: input.name,
        timeoutMs: input.timeoutSeconds * 1000,
        intervalMs: 3000,
        logger,
      });
      const app = await followUntilHealthy({
        api,
        name: input.name,
        operationId: input.operationId,
        timeoutMs: input.timeoutSeconds * 1000,
        intervalMs: 3000,
        logger,
      });
      return {
        output: {
          sync: app.status?.sync ?? 'Unknown',
          health: app.status?.health ?? 'Unknown',
          revision: app.status?.revision,
        },
      };
    },
  });

  registry.register({
    name: 'get-gitops-application-status',
    title: 'Get the status of a GitOps application',
    description:
      "Returns a GitOps application's definition summary and last observed status: sync, health, revision and conditions.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ name: applicationFields.name(z) }),
      output: z =>
        z.object({
          name: z.string(),
          repoUrl: z.string(),
          path: z.string(),
          cluster: z.string(),
          namespace: z.string().optional(),
          sync: z.string(),
          health: z.string(),
          revision: z.string().optional(),
          reconciledAt: z.string().optional(),
          conditions: z.array(
            z.object({ type: z.string(), message: z.string() }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const app = await deps.api(credentials).getApplication(input.name);
      if (!app) throw new NotFoundError(`No application named "${input.name}"`);
      return {
        output: {
          name: app.name,
          repoUrl: maskUrlCredentials(app.source.repoURL),
          path: app.source.path,
          cluster: app.destination.cluster,
          namespace: app.destination.namespace,
          sync: app.status?.sync ?? 'Unknown',
          health: app.status?.health ?? 'Unknown',
          revision: app.status?.revision,
          reconciledAt: app.status?.reconciledAt,
          conditions: app.status?.conditions ?? [],
        },
      };
    },
  });
}
