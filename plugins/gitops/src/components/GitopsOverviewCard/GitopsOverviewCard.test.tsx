import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ListApplicationsResponse } from '@backstage-gitops/plugin-gitops-common';
import { screen } from '@testing-library/react';
import { componentEntity } from '../../__fixtures__/entities';
import recorded from '../../__fixtures__/listApplications.json';
import { apiReturning, renderWithApi } from '../../__testUtils__/renderContent';
import { GitopsOverviewCard } from './GitopsOverviewCard';

const render = (api: ReturnType<typeof apiReturning>) =>
  renderWithApi(
    api,
    <EntityProvider entity={componentEntity()}>
      <GitopsOverviewCard />
    </EntityProvider>,
  );

describe('GitopsOverviewCard', () => {
  it('shows each application’s sync, health and first condition', async () => {
    await render(apiReturning(recorded as ListApplicationsResponse));
    expect(await screen.findByText('payments')).toBeInTheDocument();
    expect(screen.getByText('OutOfSync')).toBeInTheDocument();
    expect(screen.getByText('Degraded')).toBeInTheDocument();
    expect(
      screen.getByText(/apply failed: quota exceeded/),
    ).toBeInTheDocument();
    expect(screen.getByText('Not reconciled yet')).toBeInTheDocument();
  });

  it('has designed empty and error states', async () => {
    await render(apiReturning({ items: [], totalItems: 0, problems: [] }));
    expect(
      await screen.findByText('No GitOps application'),
    ).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await render(apiReturning(new Error('backend unavailable')));
    expect(
      (await screen.findAllByText(/backend unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
