import { mockApis } from '@backstage/test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ListApplicationsResponse } from '@internal/backstage-plugin-gitops-common';
import { screen, waitFor } from '@testing-library/react';
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
});
