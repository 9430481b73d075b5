import { renderInTestApp } from '@backstage/test-utils';
import { ApplicationResource } from '@backstage-gitops/plugin-gitops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import recorded from '../../__fixtures__/applicationDetail.json';
import { ResourcesTable } from './ResourcesTable';

const resources = recorded.resources as ApplicationResource[];

function rowNames() {
  return screen
    .getAllByRole('row')
    .map(row => within(row).queryAllByRole('cell'))
    .filter(cells => cells.length === 6)
    .map(cells => cells[2].textContent);
}

describe('ResourcesTable', () => {
  it('puts failed and out-of-sync resources first, with health messages and hooks', async () => {
    await renderInTestApp(<ResourcesTable resources={resources} />);
    expect(await screen.findByText('Resources (5)')).toBeInTheDocument();
    // Degraded first, then out of sync (and requiring pruning), then the rest.
    expect(rowNames()).toEqual(['api', 'settings', 'legacy', 'api', 'migrate']);
    expect(
      screen.getByText('Deployment "api" exceeded its progress deadline'),
    ).toBeInTheDocument();
    expect(screen.getByText('Requires pruning')).toBeInTheDocument();
    expect(screen.getByText('Hook (PreSync)')).toBeInTheDocument();
  });

  it('filters by text', async () => {
    await renderInTestApp(<ResourcesTable resources={resources} />);
    await userEvent.type(
      await screen.findByPlaceholderText('Filter'),
      'legacy',
    );
    await waitFor(() => expect(rowNames()).toEqual(['legacy']));
  });

  it('pages 500 resources instead of rendering them all', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      ...resources[0],
      key: `/ConfigMap/pay/c${i}`,
      kind: 'ConfigMap',
      name: `c${i}`,
    }));
    await renderInTestApp(<ResourcesTable resources={many} />);
    expect(await screen.findByText('Resources (500)')).toBeInTheDocument();
    expect(rowNames()).toHaveLength(20);
  });

  it('says why there is nothing to list', async () => {
    await renderInTestApp(<ResourcesTable resources={[]} />);
    expect(
      await screen.findByText(
        /No resources yet: the application has not been compared/,
      ),
    ).toBeInTheDocument();
  });
});
