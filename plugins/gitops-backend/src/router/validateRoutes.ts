import {
  ApplicationDefinition,
  ApplicationSyncPolicy,
  ApplicationValidationProblem,
  ApplicationValidationResponse,
  checkApplicationDefinition,
  gitopsApplicationReadPermission,
  projectViolations,
} from '@backstage-gitops/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { ApplicationService } from '../applications/ApplicationService';
import { Access, parse } from './access';
import { jsonBody } from './boundedBody';

// Only the shape is checked here; what the values may be is the shared
// definition check's business, so that it answers in its own words.
const validateBody = z
  .object({
    name: z.string(),
    project: z.string().optional(),
    source: z.object({
      repoURL: z.string(),
      path: z.string().default(''),
      targetRevision: z.string().default('HEAD'),
    }),
    destination: z.object({
      cluster: z.string(),
      namespace: z.string().optional(),
    }),
    syncPolicy: z
      .object({
        automated: z
          .object({
            prune: z.boolean().optional(),
            selfHeal: z.boolean().optional(),
            allowEmpty: z.boolean().optional(),
          })
          .optional(),
        syncOptions: z.array(z.string()).optional(),
        retry: z
          .object({
            limit: z.number(),
            backoff: z
              .object({
                duration: z.string().optional(),
                factor: z.number().optional(),
                maxDuration: z.string().optional(),
              })
              .optional(),
          })
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .strict();

/**
 * `POST /applications/validate`: every reason this backend would refuse or
 * shadow an application that is about to be written (by a template), judged
 * by the same rules it applies to the definitions it reads: the shared
 * definition check, the declared clusters, the AppProject (from Argo CD YAML
 * or the built-in `default`) and the names already in use.
 */
export function createValidateRoutes(deps: {
  access: Access;
  applications: Pick<ApplicationService, 'readDefinitions' | 'readProject'>;
  /** The declared destination clusters (with `in-cluster`). */
  clusterNames: string[];
  /** The API server of a declared cluster, for a project's `server` rules. */
  serverOf: (cluster: string) => string | undefined;
  allowHttp: boolean;
}): express.Router {
  const { access, applications } = deps;
  const router = Router();
  router.use(jsonBody());

  router.post('/applications/validate', async (req, res) => {
    const { credentials } = await access.authorize(
      req,
      gitopsApplicationReadPermission,
      'read GitOps applications',
    );
    const body = parse(validateBody, req.body ?? {}, 'application');
    const app: ApplicationDefinition = {
      ...body,
      syncPolicy: body.syncPolicy as ApplicationSyncPolicy | undefined,
      origin: 'catalog',
      entityRefs: [],
    };
    const problems: ApplicationValidationProblem[] = [];
    const invalid = checkApplicationDefinition(app, {
      allowHttp: deps.allowHttp,
    });
    if (invalid) problems.push({ kind: 'definition', message: invalid });

    const { cluster } = app.destination;
    if (!deps.clusterNames.includes(cluster)) {
      problems.push({
        kind: 'cluster',
        message: `destination cluster "${cluster}" is not declared (known clusters: ${deps.clusterNames.join(
          ', ',
        )})`,
      });
    }

    const projectName = app.project ?? 'default';
    const project = await applications.readProject(projectName);
    if (!project) {
      problems.push({
        kind: 'project',
        message: `project "${projectName}" does not exist`,
      });
    } else {
      const violations = projectViolations({
        project,
        app,
        cluster: { name: cluster, server: deps.serverOf(cluster) },
      });
      for (const message of violations) {
        problems.push({ kind: 'project', message });
      }
    }

    // Only names the caller can see: an invisible application stays
    // invisible here as on every other route.
    const { applications: visible } = await applications.readDefinitions(
      credentials,
    );
    const taken = visible.find(a => a.name === app.name);
    if (taken) {
      problems.push({
        kind: 'nameTaken',
        message: `an application named "${app.name}" already exists (${ownerOf(
          taken,
        )})`,
      });
    }
    const answer: ApplicationValidationResponse = { problems };
    res.json(answer);
  });
  return router;
}

function ownerOf(app: ApplicationDefinition): string {
  if (app.entityRefs.length) return `defined by ${app.entityRefs.join(', ')}`;
  return app.origin === 'config'
    ? 'defined in app-config'
    : `from ${app.origin}`;
}
