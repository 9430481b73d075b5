import { AuthService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  ApplicationDetail,
  ApplicationDiffResponse,
  AutoSyncPause,
  OperationSummary,
  gitopsApplicationReadPermission,
  gitopsApplicationRollbackPermission,
} from '@backstage-gitops/plugin-gitops-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { OperationStore } from '../database/OperationStore';
import { ResourceStore } from '../database/ResourceStore';
import { SyncService } from '../sync/SyncService';
import { AuditLog } from '../database/AuditLog';
import { shownApplication } from '../applications/urlCredentials';
import { Access, Caller, initiator, parse } from './access';
import { audited } from './audited';
import { renderBadge } from './badge';
import { streamOperation } from './operationEvents';
import { jsonBody } from './boundedBody';

const rollbackBody = z
  .object({
    operationId: z.string().min(1).max(64),
    prune: z.boolean().optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();

const READ = 'read GitOps applications';

/**
 * The read side of one application (status with resources, diff, an
 * operation's diff and live progress, the badge) and rollback.
 */
export function createApplicationRoutes(deps: {
  access: Access;
  auth: AuthService;
  statuses: ApplicationStatusStore;
  resources: ResourceStore;
  operations: OperationStore;
  syncs: Pick<SyncService, 'start'>;
  /** Serve badges without sign-in (`gitops.badges.public`). */
  publicBadges: boolean;
  /** Records rollbacks with their user and outcome. */
  audit?: AuditLog;
}): express.Router {
  const { access, statuses, resources, operations } = deps;
  const router = Router();
  router.use(jsonBody());

  async function readable(req: express.Request) {
    const caller = await access.authorize(
      req,
      gitopsApplicationReadPermission,
      READ,
    );
    const app = await access.findApplication(req.params.name, caller);
    return { app, credentials: caller.credentials };
  }

  router.get('/applications/:name', async (req, res) => {
    const { app } = await readable(req);
    const status = (await statuses.readStatuses([app.name])).get(app.name);
    const [lastOperation] = (
      await operations.listOperations(app.name, { offset: 0, limit: 1 })
    ).items;
    const lastSync = await operations.lastSync(app.name);
    const detail: ApplicationDetail = {
      ...shownApplication(app),
      ...(status ? { status } : {}),
      resources: await resources.listResources(app.name),
      ...(lastSync ? { lastSync } : {}),
      ...(lastOperation ? { lastOperation } : {}),
    };
    res.json(detail);
  });

  // Desired against live, as of the last comparison; Secrets already masked.
  router.get('/applications/:name/diff', async (req, res) => {
    const { app } = await readable(req);
    const body: ApplicationDiffResponse = {
      items: await resources.listDiffs(app.name),
    };
    res.json(body);
  });

  // What a sync set out to change, kept with its history entry.
  router.get('/applications/:name/operations/:id/diff', async (req, res) => {
    const { app } = await readable(req);
    const operation = await operations.getOperation(app.name, req.params.id);
    if (!operation) {
      throw new NotFoundError(`No operation ${req.params.id} of "${app.name}"`);
    }
    const body: ApplicationDiffResponse = {
      items: (await operations.getDiff(app.name, operation.id)) ?? [],
    };
    res.json(body);
  });

  // Server-sent events: the operation each time it changes, until it ends.
  router.get('/applications/:name/operations/:id/events', async (req, res) => {
    const { app } = await readable(req);
    const operation = await operations.getOperation(app.name, req.params.id);
    if (!operation) {
      throw new NotFoundError(`No operation ${req.params.id} of "${app.name}"`);
    }
    await streamOperation(req, res, () =>
      operations.getOperation(app.name, operation.id),
    );
  });

  router.post('/applications/:name/rollback', async (req, res) => {
    const body = parse(rollbackBody, req.body ?? {}, 'rollback request');
    const caller = await access.authorize(
      req,
      gitopsApplicationRollbackPermission,
      'roll back GitOps applications',
    );
    const { credentials } = caller;
    const app = await access.findApplication(req.params.name, caller);
    const operation = await audited(
      deps.audit,
      { application: app.name, action: 'rollback', credentials, details: body },
      async (): Promise<OperationSummary> => {
        const entry = await operations.getOperation(app.name, body.operationId);
        if (!entry) {
          throw new NotFoundError(
            `No operation ${body.operationId} of "${app.name}"`,
          );
        }
        if (entry.phase !== 'Succeeded' || entry.dryRun || !entry.revision) {
          throw new ConflictError(
            `Operation ${entry.id} is not a succeeded sync; only those can be rolled back to`,
          );
        }
        if (await operations.isSelective(app.name, entry.id)) {
          throw new ConflictError(
            `Operation ${entry.id} synced chosen resources only; a selective sync is no history entry, so it cannot be rolled back to`,
          );
        }
        // Paused before the sync starts, so the refresh that ends it cannot
        // start an automated sync of Git's revision in between.
        const pauses = Boolean(app.syncPolicy?.automated) && !body.dryRun;
        const before = await statuses.readAutoSyncPause(app.name);
        const gitRevision = (await statuses.readStatuses([app.name])).get(
          app.name,
        )?.revision;
        const pause = (operationId: string): AutoSyncPause => ({
          reason: 'rollback',
          revision: entry.revision!,
          ...(gitRevision ? { gitRevision } : {}),
          operationId,
          by: initiator(credentials),
          at: new Date().toISOString(),
        });
        if (pauses) await statuses.writeAutoSyncPause(app.name, pause(''));
        try {
          const started = await deps.syncs.start(
            app,
            {
              revision: entry.revision,
              prune: body.prune ?? false,
              dryRun: body.dryRun ?? false,
            },
            initiator(credentials),
          );
          if (pauses) {
            await statuses.writeAutoSyncPause(
              app.name,
              started.phase === 'Error' ? before : pause(started.id),
            );
          }
          return started;
        } catch (error) {
          if (pauses) await statuses.writeAutoSyncPause(app.name, before);
          throw error;
        }
      },
      started => ({ operationId: started.id }),
    );
    res.status(202).json(operation);
  });

  // Argo CD's badge is public only when enabled; so is ours.
  router.get('/applications/:name/badge', async (req, res) => {
    const caller: Caller = deps.publicBadges
      ? {
          credentials: await deps.auth.getOwnServiceCredentials(),
          decision: { result: AuthorizeResult.ALLOW },
        }
      : await access.authorize(req, gitopsApplicationReadPermission, READ);
    const app = await access.findApplication(req.params.name, caller);
    const status = (await statuses.readStatuses([app.name])).get(app.name);
    res
      .status(200)
      .type('image/svg+xml')
      .set('Cache-Control', 'no-cache, max-age=0')
      .send(renderBadge(status));
  });

  return router;
}
