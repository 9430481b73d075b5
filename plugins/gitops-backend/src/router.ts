import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gitopsApplicationReadPermission } from '@internal/backstage-plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { ApplicationService } from './applications/ApplicationService';

const listQuery = z.object({
  entityRef: z.string().optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export async function createRouter(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  applications: ApplicationService;
}): Promise<express.Router> {
  const { httpAuth, permissions, applications } = deps;
  const router = Router();
  router.use(express.json());

  router.get('/applications', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) {
      throw new InputError(`Invalid query: ${query.error.message}`);
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: gitopsApplicationReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not read GitOps applications');
    }
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

  return router;
}

function normaliseEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (error) {
    throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
  }
}
