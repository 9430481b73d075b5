import { ListApplicationsResponse } from '@backstage-gitops/plugin-gitops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { componentEntity } from '../../__fixtures__/entities';
import recorded from '../../__fixtures__/listApplications.json';
import { apiReturning, renderContent } from '../../__testUtils__/renderContent';

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

  describe('actions', () => {
    it('syncs after confirmation, with the chosen options, and follows the operation to its end', async () => {
      const api = apiReturning(recorded as ListApplicationsResponse);
      const running = {
        id: 'op-1',
        application: 'cart',
        phase: 'Running' as const,
        initiatedBy: 'user:default/guest',
        dryRun: false,
        startedAt: '2026-11-26T00:00:00Z',
        tasks: [],
      };
      api.syncApplication.mockResolvedValue(running);
      api.getOperation.mockResolvedValueOnce(running).mockResolvedValueOnce({
        ...running,
        phase: 'Succeeded',
        message: 'successfully synced',
      });
      await renderContent(api);

      const card = (await screen.findByText('cart')).closest(
        '[class*="MuiCard-root"]',
      ) as HTMLElement;
      await userEvent.click(within(card).getByRole('button', { name: 'Sync' }));
      const dialog = await screen.findByRole('dialog');
      await userEvent.click(
        within(dialog).getByLabelText('Prune resources that left Git'),
      );
      expect(api.syncApplication).not.toHaveBeenCalled();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Sync' }),
      );

      expect(api.syncApplication).toHaveBeenCalledWith('cart', {
        prune: true,
        dryRun: false,
      });
      expect(
        await screen.findByText(
          'Sync Succeeded: successfully synced',
          {},
          { timeout: 4000 },
        ),
      ).toBeInTheDocument();
      await waitFor(() =>
        expect(api.listApplications).toHaveBeenCalledTimes(2),
      );
    });

    it('refreshes at once, and hard-refreshes after confirmation', async () => {
      const api = apiReturning(recorded as ListApplicationsResponse);
      api.refreshApplication.mockResolvedValue(recorded.items[0] as any);
      await renderContent(api);
      const [refresh] = await screen.findAllByRole('button', {
        name: 'Refresh',
      });
      await userEvent.click(refresh);
      expect(api.refreshApplication).toHaveBeenCalledWith('cart', {
        hard: false,
      });
      const [hard] = screen.getAllByRole('button', { name: 'Hard refresh' });
      await userEvent.click(hard);
      const dialog = await screen.findByRole('dialog');
      expect(api.refreshApplication).toHaveBeenCalledTimes(1);
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Hard refresh' }),
      );
      expect(api.refreshApplication).toHaveBeenCalledWith('cart', {
        hard: true,
      });
    });

    it('shows why an action failed', async () => {
      const api = apiReturning(recorded as ListApplicationsResponse);
      api.refreshApplication.mockRejectedValue(
        new Error('No application named "cart"'),
      );
      await renderContent(api);
      const [refresh] = await screen.findAllByRole('button', {
        name: 'Refresh',
      });
      await userEvent.click(refresh);
      expect(
        (await screen.findAllByText('No application named "cart"')).length,
      ).toBeGreaterThan(0);
    });
  });
});
