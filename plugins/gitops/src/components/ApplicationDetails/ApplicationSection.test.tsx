import {
  ApplicationDetail,
  ApplicationDiffResponse,
  ListApplicationsResponse,
  ListOperationsResponse,
  OperationDetail,
} from '@backstage-gitops/plugin-gitops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import detail from '../../__fixtures__/applicationDetail.json';
import diff from '../../__fixtures__/diff.json';
import recorded from '../../__fixtures__/listApplications.json';
import operation from '../../__fixtures__/operation.json';
import operations from '../../__fixtures__/operations.json';
import { apiReturning, renderContent } from '../../__testUtils__/renderContent';

const list = recorded as ListApplicationsResponse;
const payments = detail as ApplicationDetail;

function section(name: string) {
  return screen
    .getAllByText(name)[0]
    .closest('[class*="MuiCard-root"]') as HTMLElement;
}

describe('one application on the GitOps tab', () => {
  it('puts conditions first, then the commit in words, the last sync and the rollback pause', async () => {
    await renderContent(apiReturning(list, { payments }));
    expect(
      await screen.findByText(/Raise the API's memory limit — Ada Lovelace/),
    ).toBeInTheDocument();
    const card = section('payments');
    expect(
      within(card).getByText(/Deployment\/pay\/api: apply failed/),
    ).toBeInTheDocument();
    expect(within(card).getByText(/^Failed .*, by guest$/)).toBeInTheDocument();
    expect(
      within(card).getByText(/revision 3c5e1f0, took 41s/),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(/Automated sync is paused after a rollback/),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(
        /Rolled back to 1a2b3c4 by guest .* resumes when Git moves past 3c5e1f0/,
      ),
    ).toBeInTheDocument();
    expect(within(card).getByText('Automated, self-heal')).toBeInTheDocument();
  });

  it('lists resources, and opens the diff, last sync and history tabs', async () => {
    const api = apiReturning(list, { payments });
    api.getDiff.mockResolvedValue(diff as ApplicationDiffResponse);
    api.getOperation.mockResolvedValue(operation as OperationDetail);
    api.listOperations.mockResolvedValue(operations as ListOperationsResponse);
    await renderContent(api);
    expect(await screen.findByText('Resources (5)')).toBeInTheDocument();
    const tabs = screen.getAllByRole('tablist')[1];
    await userEvent.click(within(tabs).getByRole('tab', { name: 'Diff' }));
    expect(
      await screen.findByText('ConfigMap/pay/settings'),
    ).toBeInTheDocument();
    await userEvent.click(within(tabs).getByRole('tab', { name: 'Last sync' }));
    expect(
      await screen.findByRole('button', {
        name: 'Job/smoke-test: SyncFailed (hook Failed)',
      }),
    ).toBeInTheDocument();
    await userEvent.click(within(tabs).getByRole('tab', { name: 'History' }));
    expect(await screen.findByText('automated')).toBeInTheDocument();
    expect(api.listOperations).toHaveBeenCalledWith('payments', {
      offset: 0,
      limit: 20,
    });
  });

  it('rolls back from the history after confirmation, and follows the rollback live', async () => {
    const api = apiReturning(list, { payments });
    api.listOperations.mockResolvedValue(operations as ListOperationsResponse);
    const started = {
      ...(operation as OperationDetail),
      id: 'op-3',
      phase: 'Running' as const,
      initiatedBy: 'user:default/guest',
      finishedAt: undefined,
      tasks: [],
    };
    api.rollbackApplication.mockResolvedValue(started);
    api.getOperation.mockResolvedValueOnce(started).mockResolvedValue({
      ...(operation as OperationDetail),
      id: 'op-3',
      phase: 'Succeeded',
      message: 'successfully synced',
    });
    await renderContent(api);
    const tabs = (await screen.findAllByRole('tablist'))[1];
    await userEvent.click(within(tabs).getByRole('tab', { name: 'History' }));
    // Only a succeeded, real sync can be rolled back to.
    const buttons = await screen.findAllByRole('button', {
      name: /^Roll back to/,
    });
    expect(buttons.map(b => (b as HTMLButtonElement).disabled)).toEqual([
      true,
      false,
      true,
    ]);
    // The label stays on one line in a narrow Actions cell.
    for (const button of buttons) {
      expect(button).toHaveStyle({ whiteSpace: 'nowrap', flexShrink: '0' });
      expect(button.closest('td')).toHaveStyle({ whiteSpace: 'nowrap' });
    }
    await userEvent.click(buttons[1]);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(/Deploys revision 1a2b3c4 again/),
    ).toBeInTheDocument();
    expect(api.rollbackApplication).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    expect(api.rollbackApplication).toHaveBeenCalledWith('payments', {
      operationId: 'op-1',
    });
    expect(
      await screen.findByText(
        'Sync Succeeded: successfully synced',
        {},
        { timeout: 4000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('button', { name: 'Deployment/api: Synced' }).length,
    ).toBeGreaterThan(0);
  });

  it('offers no rollback to a sync of chosen resources, and says why', async () => {
    const api = apiReturning(list, { payments });
    const listed = operations as ListOperationsResponse;
    api.listOperations.mockResolvedValue({
      ...listed,
      items: listed.items.map(op =>
        op.id === 'op-1' ? { ...op, selective: true } : op,
      ),
    });
    await renderContent(api);
    const tabs = (await screen.findAllByRole('tablist'))[1];
    await userEvent.click(within(tabs).getByRole('tab', { name: 'History' }));
    const buttons = await screen.findAllByRole('button', {
      name: /^Roll back to/,
    });
    expect(buttons.map(b => (b as HTMLButtonElement).disabled)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      screen.getByTitle(
        'A sync of chosen resources is no history entry to roll back to',
      ),
    ).toBeInTheDocument();
  });

  it('previews what a sync will change before it starts', async () => {
    const api = apiReturning(list, { payments });
    api.getDiff.mockResolvedValue(diff as ApplicationDiffResponse);
    await renderContent(api);
    await screen.findByText('Resources (5)');
    await userEvent.click(
      within(section('payments')).getByRole('button', { name: 'Sync' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('Update ConfigMap/pay/settings'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Keep ConfigMap/pay/legacy (not in Git; prune is off)',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByLabelText('Prune resources that left Git'),
    );
    expect(
      within(dialog).getByText('Delete ConfigMap/pay/legacy'),
    ).toBeInTheDocument();
  });

  it('shows a detail error without losing the overview', async () => {
    const api = apiReturning(list);
    api.getApplication.mockRejectedValue(new Error('database is down'));
    await renderContent(api);
    expect(
      (await screen.findAllByText(/database is down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getAllByText('GitOps application').length).toBe(2);
  });

  it('follows an operation that is already running when the page opens', async () => {
    const running = {
      ...(operation as OperationDetail),
      phase: 'Running' as const,
      finishedAt: undefined,
    };
    const api = apiReturning(list, {
      payments: { ...payments, lastOperation: running },
    });
    api.getOperation.mockResolvedValueOnce(running).mockResolvedValue({
      ...running,
      phase: 'Failed',
      message: 'one or more hooks failed',
      finishedAt: operation.finishedAt,
    });
    await renderContent(api);
    await waitFor(() =>
      expect(api.followOperation).toHaveBeenCalledWith(
        'payments',
        'op-2',
        expect.any(Function),
        expect.any(Function),
      ),
    );
    expect(
      await screen.findByText(
        'Sync Failed: one or more hooks failed',
        {},
        { timeout: 4000 },
      ),
    ).toBeInTheDocument();
  });

  it('opens a history entry for its timeline and the diff it set out to apply', async () => {
    const api = apiReturning(list, { payments });
    api.listOperations.mockResolvedValue(operations as ListOperationsResponse);
    api.getOperation.mockResolvedValue(operation as OperationDetail);
    api.getOperationDiff.mockResolvedValue(diff as ApplicationDiffResponse);
    await renderContent(api);
    const tabs = (await screen.findAllByRole('tablist'))[1];
    await userEvent.click(within(tabs).getByRole('tab', { name: 'History' }));
    const [open] = await screen.findAllByRole('button', { name: 'Open' });
    await userEvent.click(open);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Sync of 3c5e1f0 by guest: Failed'),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByRole('button', {
        name: 'Job/smoke-test: SyncFailed (hook Failed)',
      }),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByText('Secret/pay/credentials'),
    ).toBeInTheDocument();
    expect(api.getOperationDiff).toHaveBeenCalledWith('payments', 'op-2');
  });
});
