import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  gitopsApplicationReadPermission,
  gitopsApplicationRefreshPermission,
} from '@internal/backstage-plugin-gitops-common';
import { BasicPermission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { ApplicationService } from './applications/ApplicationService';
import { Reconciler } from './reconciler/Reconciler';

const listQuery = z.object({
  entityRef: z.string().optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const refreshQuery = z.object({
  hard: z.enum(['true', 'false']).optional(),
});

export async function createRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  applications: ApplicationService;
  reconciler: Pick<Reconciler, 'refresh'>;
}): Promise<express.Router> {
  const { httpAuth, permissions, applications, reconciler } = deps;
  const router = Router();
  router.use(express.json());

  async function authorize(
    req: express.Request,
    permission: BasicPermission,
    action: string,
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not ${action}`);
    }
    return credentials;
  }

  router.get('/applications', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`Invalid query: ${query.error.message}`);
    }
    const credentials = await authorize(
      req,
      gitopsApplicationReadPermission,
      'read GitOps applications',
    );
    const { entityRef, offset, limit } = query.data;
    res.json(
      await applications.listApplications({
        credentials,
        entityRef: entityRef ? normaliseEntityRef(entityRef) : undefined,
        offset,
        limit,
      }),
    );
  });

  // Compares one application with Git and the cluster now, and answers with
  // the new status. A hard refresh also drops the render cache.
  router.post('/applications/:name/refresh', async (req, res) => {
    const query = refreshQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`Invalid query: ${query.error.message}`);
    }
    const credentials = await authorize(
      req,
      gitopsApplicationRefreshPermission,
      'refresh GitOps applications',
    );
    // Only applications the caller can see can be refreshed by name.
    const { applications: visible } = await applications.readDefinitions(
      credentials,
    );
    const app = visible.find(a => a.name === req.params.name);
    if (!app) {
      throw new NotFoundError(`No application named "${req.params.name}"`);
    }
    const status = await reconciler.refresh(app, {
      hard: query.data.hard === 'true',
    });
    res.json({ ...app, status });
  });

  return router;
}

function normaliseEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (error) {
    throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
  }
}
