import { ListApplicationsResponse } from '@backstage-gitops/plugin-gitops-common';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import recorded from '../../__fixtures__/listApplications.json';
import { apiReturning, renderWithApi } from '../../__testUtils__/renderContent';
import { GitopsApplicationsPage } from './GitopsApplicationsPage';

describe('GitopsApplicationsPage', () => {
  it('lists every application with its status, problems first, and filters by text', async () => {
    const api = apiReturning(recorded as ListApplicationsResponse);
    await renderWithApi(api, <GitopsApplicationsPage />);
    expect(await screen.findByText('Applications (2)')).toBeInTheDocument();
    expect(api.listApplications).toHaveBeenCalledWith({ limit: 500 });
    expect(screen.getByText('cart')).toBeInTheDocument();
    expect(screen.getByText('payments')).toBeInTheDocument();
    expect(screen.getByText(/must not start with/)).toBeInTheDocument();
    await userEvent.type(screen.getByPlaceholderText('Filter'), 'payments');
    await waitFor(() => expect(screen.queryByText('cart')).toBeNull());
  });

  it('explains an empty list', async () => {
    await renderWithApi(
      apiReturning({ items: [], totalItems: 0, problems: [] }),
      <GitopsApplicationsPage />,
    );
    expect(
      await screen.findByText(/No applications you may see/),
    ).toBeInTheDocument();
  });
});
