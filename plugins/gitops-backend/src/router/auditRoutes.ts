import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApplicationDefinition,
  gitopsApplicationReadPermission,
} from '@internal/backstage-plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { AuditLog } from '../database/AuditLog';

const pageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /applications/:name/audit`: the audit trail, newest first, paginated. */
export function createAuditRoutes(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditLog;
  findApplication: (
    name: string,
    credentials: BackstageCredentials,
  ) => Promise<ApplicationDefinition>;
  parse: <S extends z.ZodTypeAny>(
    schema: S,
    value: unknown,
    what: string,
  ) => z.infer<S>;
}): express.Router {
  const router = Router();
  router.get('/applications/:name/audit', async (req, res) => {
    const page = deps.parse(pageQuery, req.query, 'query');
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await deps.permissions.authorize(
      [{ permission: gitopsApplicationReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not read GitOps applications');
    }
    const app = await deps.findApplication(req.params.name, credentials);
    res.json(await deps.audit.list(app.name, page));
  });
  return router;
}
