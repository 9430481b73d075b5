import { mockApis } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ListApplicationsResponse } from '@backstage-gitops/plugin-gitops-common';
import { screen, waitFor, within } from '@testing-library/react';
import { componentEntity } from '../../__fixtures__/entities';
import recorded from '../../__fixtures__/listApplications.json';
import { apiReturning, renderContent } from '../../__testUtils__/renderContent';

// In a file of its own: permission answers are cached per module (SWR).
describe('GitopsEntityContent with conditional permissions', () => {
  it('asks per application, so owners act on theirs only', async () => {
    const asked: (string | undefined)[] = [];
    const api = apiReturning(recorded as ListApplicationsResponse);
    await renderContent(
      api,
      componentEntity(),
      mockApis.permission({
        authorize: request => {
          asked.push(request.resourceRef);
          // What a policy with IS_ENTITY_OWNER decides for this user.
          return request.resourceRef === 'cart'
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY;
        },
      }),
    );
    await screen.findByText('cart');
    // The Sync button of an application's card (a table column is named
    // Sync too).
    const syncOf = (name: string) =>
      within(screen.getByText(name).closest('.MuiCard-root') as HTMLElement)
        .getAllByRole('button', { name: 'Sync' })
        .find(b => b.tagName === 'BUTTON')!;
    await waitFor(() => expect(syncOf('payments')).toBeDisabled());
    expect(syncOf('cart')).toBeEnabled();
    expect(new Set(asked)).toEqual(new Set(['cart', 'payments']));
  });
});
