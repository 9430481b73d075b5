import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/** An action context whose output and logger calls tests can read. */
export type TestActionContext = ActionContext<any, any> & {
  output: jest.Mock;
  logger: ReturnType<typeof mockServices.logger.mock>;
};

/**
 * The scaffolder's mock action context, with what it does not take as
 * options (dry run, the initiator's credentials) set afterwards, and a logger
 * whose calls tests can read.
 */
export function actionContext(options: {
  input: Record<string, unknown>;
  credentials: BackstageCredentials;
  workspacePath?: string;
  isDryRun?: boolean;
}): TestActionContext {
  return {
    ...createMockActionContext({
      input: options.input as any,
      workspacePath: options.workspacePath,
      logger: mockServices.logger.mock(),
    }),
    isDryRun: options.isDryRun ?? false,
    getInitiatorCredentials: async () => options.credentials,
  } as unknown as TestActionContext;
}
