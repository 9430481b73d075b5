import { startTestBackend } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { mockServices } from '@backstage/backend-test-utils';
import { scaffolderModuleGitops } from './module';

describe('scaffolderModuleGitops', () => {
  it('adds the four scaffolder actions, each with dry-run support', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleGitops,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
        actionsRegistryServiceMock.factory(),
      ],
    });
    expect(addActions.mock.calls.flat().map(a => a.id)).toEqual([
      'gitops:application:create',
      'gitops:application:sync',
      'gitops:application:wait',
      'gitops:repository:push',
    ]);
    expect(addActions.mock.calls.flat().every(a => a.supportsDryRun)).toBe(
      true,
    );
  });
});
