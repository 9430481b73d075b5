import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { ListApplicationsResponse } from '@backstage-gitops/plugin-gitops-common';
import { screen } from '@testing-library/react';
import { componentEntity } from './__fixtures__/entities';
import recorded from './__fixtures__/listApplications.json';
import gitopsPlugin from './alpha';
import { gitopsApiRef } from './api';
import { apiReturning } from './__testUtils__/renderContent';

const api = apiReturning(recorded as ListApplicationsResponse);

function renderEntityPage(entity = componentEntity()) {
  return renderTestApp({
    features: [gitopsPlugin],
    extensions: [createTestEntityPage({ entity })],
    apis: [[gitopsApiRef, api]],
    initialRouteEntries: ['/gitops'],
    // The test entity page sits at the root, so its tab would share the
    // applications page's path.
    config: { app: { extensions: [{ 'page:gitops': false }] } },
  });
}

describe('gitops plugin on the new frontend system', () => {
  it('adds a GitOps tab to annotated entities', async () => {
    renderEntityPage();
    expect(
      await screen.findByText('payments', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
  });

  it('adds no tab to entities without the annotations', async () => {
    renderEntityPage(componentEntity({}));
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(screen.queryByText('payments')).toBeNull();
  });

  it('lists every application on its own page', async () => {
    renderTestApp({
      features: [gitopsPlugin],
      apis: [[gitopsApiRef, api]],
      initialRouteEntries: ['/gitops'],
    });
    expect(
      await screen.findByText('Applications (2)', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
  });
});
