import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { inputFields, parseInput } from './parseInput';
import { GitopsApiFactory } from '../client/GitopsApiClient';
import { applicationFields } from '../definition/applicationRequest';
import { awaitRegistration, followUntilHealthy } from './follow';

const inputs = inputFields({
  name: applicationFields.name,
  operationId: z =>
    z
      .string()
      .optional()
      .describe(
        'A sync operation to follow (output of gitops:application:sync)',
      ),
  timeoutSeconds: z =>
    z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(300)
      .describe('Fail when not Synced and Healthy by then'),
});

/**
 * `gitops:application:wait`: waits until the application is Synced and
 * Healthy, or fails with the reason (the sync operation failed and which hook
 * or resource made it fail, or a resource is Degraded), within a timeout.
 */
export function waitApplicationAction(deps: {
  api: GitopsApiFactory;
  pollIntervalMs?: number;
}) {
  return createTemplateAction({
    id: 'gitops:application:wait',
    description:
      'Waits until a GitOps application is Synced and Healthy, or fails with the reason',
    supportsDryRun: true,
    schema: {
      input: inputs,
      output: {
        sync: z => z.string(),
        health: z => z.string(),
        revision: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { name, operationId, timeoutSeconds } = parseInput(
        inputs,
        ctx.input,
      );
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would wait for "${name}" to be Synced and Healthy`,
        );
        ctx.output('sync', 'Synced');
        ctx.output('health', 'Healthy');
        return;
      }
      const api = deps.api(await ctx.getInitiatorCredentials());
      const intervalMs = deps.pollIntervalMs ?? 3000;
      const started = Date.now();
      await awaitRegistration({
        api,
        name,
        timeoutMs: timeoutSeconds * 1000,
        intervalMs,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      const app = await followUntilHealthy({
        api,
        name,
        operationId: operationId === 'dry-run' ? undefined : operationId,
        timeoutMs: Math.max(0, timeoutSeconds * 1000 - (Date.now() - started)),
        intervalMs,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      ctx.output('sync', app.status?.sync ?? 'Unknown');
      ctx.output('health', app.status?.health ?? 'Unknown');
      if (app.status?.revision) ctx.output('revision', app.status.revision);
    },
  });
}
