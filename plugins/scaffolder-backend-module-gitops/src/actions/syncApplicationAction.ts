import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { inputFields, parseInput } from './parseInput';
import { GitopsApiFactory } from '../client/GitopsApiClient';
import { applicationFields } from '../definition/applicationRequest';
import { awaitRegistration } from './follow';

const inputs = inputFields({
  name: applicationFields.name,
  prune: z =>
    z
      .boolean()
      .default(false)
      .describe('Delete resources that are no longer in Git'),
  registrationTimeoutSeconds: z =>
    z
      .number()
      .int()
      .min(0)
      .max(3600)
      .default(120)
      .describe('How long to wait for the reconciler to know the application'),
});

/**
 * `gitops:application:sync`: starts a sync of the application as the user
 * running the template, so their sync permission applies. Waits first for
 * the reconciler to know the application (a just-registered component takes
 * a moment); the operation then runs on, and `gitops:application:wait`
 * follows it.
 */
export function syncApplicationAction(deps: {
  api: GitopsApiFactory;
  pollIntervalMs?: number;
}) {
  return createTemplateAction({
    id: 'gitops:application:sync',
    description:
      'Starts a sync of a GitOps application as the user running the template (optionally with prune)',
    supportsDryRun: true,
    schema: {
      input: inputs,
      output: {
        operationId: z =>
          z
            .string()
            .describe('The sync operation, for gitops:application:wait'),
        phase: z => z.string().describe('Phase of the operation when started'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputs, ctx.input);
      const { name, prune } = input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would sync "${name}"${prune ? ' with prune' : ''}`,
        );
        ctx.output('operationId', 'dry-run');
        ctx.output('phase', 'Succeeded');
        return;
      }
      const api = deps.api(await ctx.getInitiatorCredentials());
      await awaitRegistration({
        api,
        name,
        timeoutMs: input.registrationTimeoutSeconds * 1000,
        intervalMs: deps.pollIntervalMs ?? 2000,
        logger: ctx.logger,
        signal: ctx.signal,
      });
      ctx.logger.info(
        `Starting a sync of "${name}"${prune ? ' with prune' : ''}`,
      );
      const operation = await api.sync(name, { prune, dryRun: false });
      ctx.logger.info(
        `Sync operation ${operation.id} of "${name}" is ${operation.phase}`,
      );
      ctx.output('operationId', operation.id);
      ctx.output('phase', operation.phase);
    },
  });
}
