import { gitopsApplicationReadPermission } from '@backstage-gitops/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { AuditLog } from '../database/AuditLog';
import { Access, page, parse } from './access';

/** `GET /applications/:name/audit`: the audit trail, newest first, paginated. */
export function createAuditRoutes(deps: {
  access: Access;
  audit: AuditLog;
}): express.Router {
  const { access, audit } = deps;
  const router = Router();
  router.get('/applications/:name/audit', async (req, res) => {
    const query = parse(z.object(page), req.query, 'query');
    const caller = await access.authorize(
      req,
      gitopsApplicationReadPermission,
      'read GitOps applications',
    );
    const app = await access.findApplication(req.params.name, caller);
    res.json(await audit.list(app.name, query));
  });
  return router;
}
