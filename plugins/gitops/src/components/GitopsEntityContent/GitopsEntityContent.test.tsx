import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { ListApplicationsResponse } from '@internal/backstage-plugin-gitops-common';
import { screen } from '@testing-library/react';
import { GitopsApi, gitopsApiRef } from '../../api';
import { componentEntity } from '../../__fixtures__/entities';
import recorded from '../../__fixtures__/listApplications.json';
import { GitopsEntityContent } from './GitopsEntityContent';

function apiReturning(response: ListApplicationsResponse | Error) {
  return {
    listApplications: jest.fn(async (_request: { entityRef?: string }) => {
      if (response instanceof Error) throw response;
      return response;
    }),
  } satisfies GitopsApi;
}

async function renderContent(api: GitopsApi, entity = componentEntity()) {
  return renderInTestApp(
    <TestApiProvider apis={[[gitopsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <GitopsEntityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('GitopsEntityContent', () => {
  it('shows each linked application with its source, destination and status', async () => {
    const api = apiReturning(recorded as ListApplicationsResponse);
    await renderContent(api);

    expect(api.listApplications).toHaveBeenCalledWith({
      entityRef: 'component:default/cart',
    });
    expect(await screen.findByText('cart')).toBeInTheDocument();
    expect(screen.getByText('payments')).toBeInTheDocument();
    expect(screen.getByText('deploy/cart')).toBeInTheDocument();
    expect(screen.getByText('in-cluster / shop')).toBeInTheDocument();
    expect(screen.getByText('OutOfSync')).toBeInTheDocument();
    expect(screen.getByText('Degraded')).toBeInTheDocument();
    // The catalog application has not been reconciled: say so, do not guess.
    expect(screen.getAllByText('Not reconciled yet')).toHaveLength(2);
    // An https repository is a link; an ssh one is plain text.
    expect(
      screen.getByRole('link', {
        name: /^https:\/\/git\.example\.com\/shop\.git/,
      }),
    ).toHaveAttribute('href', 'https://git.example.com/shop.git');
    expect(screen.queryByRole('link', { name: /ssh:/ })).toBeNull();
    // The condition behind the Degraded status is spelled out.
    expect(
      screen.getByText(/Deployment\/pay\/api: apply failed: quota exceeded/),
    ).toBeInTheDocument();
    // Another entity's problem is not shown here.
    expect(screen.queryByText(/must not start with/)).toBeNull();
  });

  it("puts this entity's annotation problem first, in words", async () => {
    await renderContent(
      apiReturning({
        items: [],
        totalItems: 0,
        problems: [
          {
            origin: 'component:default/cart',
            message:
              'repository URL scheme "file" is not allowed; use https or ssh',
          },
        ],
      }),
    );
    expect(
      await screen.findByText(
        /This entity's GitOps annotations cannot be used/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('No GitOps application')).toBeNull();
  });

  it('names linked Argo CD applications that the backend does not know', async () => {
    await renderContent(
      apiReturning({ items: [], totalItems: 0, problems: [] }),
      componentEntity({ 'argocd/app-name': 'cart-eu, cart-us' }),
    );
    expect(
      await screen.findByText(
        /Linked Argo CD applications are not known to this Backstage/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the backend error instead of an empty page', async () => {
    await renderContent(apiReturning(new Error('gitops backend is down')));
    expect(
      (await screen.findAllByText(/gitops backend is down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('No GitOps application')).toBeNull();
  });

  it('explains how to link an application when there is none', async () => {
    await renderContent(
      apiReturning({ items: [], totalItems: 0, problems: [] }),
    );
    expect(
      await screen.findByText('No GitOps application'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/gitops\.backstage\.io\/repo-url/),
    ).toBeInTheDocument();
  });
});
