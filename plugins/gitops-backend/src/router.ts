import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  gitopsApplicationReadPermission,
  gitopsApplicationRefreshPermission,
  gitopsApplicationSyncPermission,
  gitopsApplicationTerminatePermission,
} from '@backstage-gitops/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { ApplicationService } from './applications/ApplicationService';
import { OperationStore } from './database/OperationStore';
import { Reconciler } from './scheduling/Reconciler';
import { SyncService } from './sync/SyncService';
import { AuditLog } from './database/AuditLog';
import { shownApplication } from './applications/urlCredentials';
import { audited } from './router/audited';
import { jsonBody } from './router/boundedBody';
import { createAuditRoutes } from './router/auditRoutes';
import { Access, initiator, page, parse } from './router/access';

const listQuery = z.object({ entityRef: z.string().optional(), ...page });
const refreshQuery = z.object({ hard: z.enum(['true', 'false']).optional() });
const syncBody = z
  .object({
    prune: z.boolean().optional(),
    dryRun: z.boolean().optional(),
    resources: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

export async function createRouter(deps: {
  /** The permission check and lookup, shared with the other routes. */
  access: Access;
  applications: ApplicationService;
  reconciler: Pick<Reconciler, 'refresh'>;
  syncs: SyncService;
  operations: OperationStore;
  /** Records every action with its user; `GET /applications/:name/audit` reads it. */
  audit?: AuditLog;
}): Promise<express.Router> {
  const { applications, operations } = deps;
  const router = Router();
  router.use(jsonBody());

  const { access } = deps;
  const { authorize, findApplication } = access;

  router.get('/applications', async (req, res) => {
    const query = parse(listQuery, req.query, 'query');
    const caller = await authorize(
      req,
      gitopsApplicationReadPermission,
      'read GitOps applications',
    );
    res.json(
      await applications.listApplications({
        credentials: caller.credentials,
        permitted: apps => access.permitted(caller.decision, apps),
        entityRef: query.entityRef
          ? normaliseEntityRef(query.entityRef)
          : undefined,
        offset: query.offset,
        limit: query.limit,
      }),
    );
  });

  // Compares one application with Git and the cluster now, and answers with
  // the new status. A hard refresh also drops the render cache.
  router.post('/applications/:name/refresh', async (req, res) => {
    const query = parse(refreshQuery, req.query, 'query');
    const caller = await authorize(
      req,
      gitopsApplicationRefreshPermission,
      'refresh GitOps applications',
    );
    const { credentials } = caller;
    const app = await findApplication(req.params.name, caller);
    const hard = query.hard === 'true';
    const status = await audited(
      deps.audit,
      {
        application: app.name,
        action: hard ? 'hard-refresh' : 'refresh',
        credentials,
      },
      () => deps.reconciler.refresh(app, { hard }),
    );
    res.json({ ...shownApplication(app), status });
  });

  // Starts a sync; the operation runs on and is followed through its id.
  router.post('/applications/:name/sync', async (req, res) => {
    const body = parse(syncBody, req.body ?? {}, 'sync request');
    const caller = await authorize(
      req,
      gitopsApplicationSyncPermission,
      'sync GitOps applications',
    );
    const { credentials } = caller;
    const app = await findApplication(req.params.name, caller);
    const operation = await audited(
      deps.audit,
      { application: app.name, action: 'sync', credentials, details: body },
      () => deps.syncs.start(app, body, initiator(credentials)),
      started => ({ operationId: started.id }),
    );
    res.status(202).json(operation);
  });

  router.get('/applications/:name/operations', async (req, res) => {
    const query = parse(z.object(page), req.query, 'query');
    const caller = await authorize(
      req,
      gitopsApplicationReadPermission,
      'read GitOps applications',
    );
    const app = await findApplication(req.params.name, caller);
    res.json(await operations.listOperations(app.name, query));
  });

  router.get('/applications/:name/operations/:id', async (req, res) => {
    const caller = await authorize(
      req,
      gitopsApplicationReadPermission,
      'read GitOps applications',
    );
    const app = await findApplication(req.params.name, caller);
    const operation = await operations.getOperation(app.name, req.params.id);
    if (!operation) {
      throw new NotFoundError(`No operation ${req.params.id} of "${app.name}"`);
    }
    res.json(operation);
  });

  router.post(
    '/applications/:name/operations/:id/terminate',
    async (req, res) => {
      const caller = await authorize(
        req,
        gitopsApplicationTerminatePermission,
        'terminate GitOps operations',
      );
      const { credentials } = caller;
      const app = await findApplication(req.params.name, caller);
      await audited(
        deps.audit,
        {
          application: app.name,
          action: 'terminate',
          credentials,
          details: { operationId: req.params.id },
        },
        async () => {
          if (!(await operations.requestTermination(app.name, req.params.id))) {
            throw new ConflictError(
              `Operation ${req.params.id} of "${app.name}" is not running`,
            );
          }
        },
      );
      res.status(202).json({ terminateRequested: true });
    },
  );

  if (deps.audit) {
    router.use(createAuditRoutes({ access, audit: deps.audit }));
  }

  return router;
}

function normaliseEntityRef(ref: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (error) {
    throw new InputError(`Invalid entityRef: ${(error as Error).message}`);
  }
}
