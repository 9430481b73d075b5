import { mockApis } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ListApplicationsResponse } from '@backstage-gitops/plugin-gitops-common';
import {
  ApplicationDetail,
  ListOperationsResponse,
} from '@backstage-gitops/plugin-gitops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import detail from '../../__fixtures__/applicationDetail.json';
import operations from '../../__fixtures__/operations.json';
import { componentEntity } from '../../__fixtures__/entities';
import recorded from '../../__fixtures__/listApplications.json';
import { apiReturning, renderContent } from '../../__testUtils__/renderContent';

// In a file of its own: permission answers are cached per module (SWR), so
// an "allowed" from another test would show here first.
describe('GitopsEntityContent without permissions', () => {
  it('disables what the user may not do, and says why', async () => {
    const api = apiReturning(recorded as ListApplicationsResponse);
    await renderContent(
      api,
      componentEntity(),
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );
    await screen.findByText('cart');
    await waitFor(() =>
      expect(screen.getAllByRole('button', { name: 'Sync' })[0]).toBeDisabled(),
    );
    expect(
      screen.getAllByRole('button', { name: 'Refresh' })[0],
    ).toBeDisabled();
    expect(
      screen.getAllByTitle('You are not allowed to sync GitOps applications')
        .length,
    ).toBeGreaterThan(0);
  });

  it('disables rollback from the history, and says why', async () => {
    const api = apiReturning(recorded as ListApplicationsResponse, {
      payments: detail as ApplicationDetail,
    });
    api.listOperations.mockResolvedValue(operations as ListOperationsResponse);
    await renderContent(
      api,
      componentEntity(),
      mockApis.permission({ authorize: AuthorizeResult.DENY }),
    );
    const tabs = (await screen.findAllByRole('tablist'))[1];
    await userEvent.click(within(tabs).getByRole('tab', { name: 'History' }));
    const buttons = await screen.findAllByRole('button', {
      name: /^Roll back to/,
    });
    expect(buttons.every(b => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(
      screen.getAllByTitle(
        'You are not allowed to roll back GitOps applications',
      ).length,
    ).toBeGreaterThan(0);
  });
});
