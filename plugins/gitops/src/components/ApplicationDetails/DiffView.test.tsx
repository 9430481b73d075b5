import { renderInTestApp } from '@backstage/test-utils';
import { ResourceDiff } from '@backstage-gitops/plugin-gitops-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import recorded from '../../__fixtures__/diff.json';
import { DiffView } from './DiffView';
import { sideBySideRows, unifiedLines } from './diffLines';

const items = recorded.items as ResourceDiff[];

describe('DiffView', () => {
  it('lists changes first, opens the changed ones, and never shows an empty diff as a change', async () => {
    await renderInTestApp(<DiffView items={items} />);
    const summaries = screen.getAllByRole('button', { expanded: true });
    expect(summaries.map(s => s.textContent)).toEqual([
      expect.stringContaining('ConfigMap/pay/settings'),
      expect.stringContaining('Secret/pay/credentials'),
      expect.stringContaining('ConfigMap/pay/legacy'),
    ]);
    expect(screen.getByText('Requires pruning')).toBeInTheDocument();
    // The Deployment only has an ignored field: no change, shown as such.
    const deployment = screen
      .getByText('Deployment/pay/api')
      .closest('[class*="MuiAccordion-root"]') as HTMLElement;
    expect(within(deployment).getByText('No change')).toBeInTheDocument();
    expect(within(deployment).getByText('1 ignored')).toBeInTheDocument();
  });

  it('shows masked Secret values as masked, and marks ignored fields', async () => {
    await renderInTestApp(<DiffView items={items} />);
    expect(
      screen.getByText(/^\+\s+password: \+{8} \(changed\)$/),
    ).toBeInTheDocument();
    expect(screen.getByText(/^-\s+password: \+{8}$/)).toBeInTheDocument();
    expect(
      screen.getByText(
        /\/metadata\/annotations\/owner — ignoreDifferences: jsonPointer .* \(differs, not counted\)/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(
      screen.getByText(/\/spec\/replicas — HorizontalPodAutoscaler pay\/api/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('jqPathExpressions ".spec.x": not applied yet'),
    ).toBeInTheDocument();
  });

  it('switches between unified and side by side, and collapses all', async () => {
    await renderInTestApp(<DiffView items={items} />);
    expect(screen.getAllByRole('table', { name: 'Unified diff' }).length).toBe(
      3,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Side by side' }));
    expect(
      screen.getAllByRole('table', { name: 'Side-by-side diff' }).length,
    ).toBe(3);
    await userEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(screen.queryAllByRole('button', { expanded: true })).toHaveLength(0);
  });

  it('says so when nothing differs', async () => {
    await renderInTestApp(<DiffView items={[]} />);
    expect(screen.getByText('No differences')).toBeInTheDocument();
  });
});

describe('diff lines', () => {
  it('pairs a replaced line with its replacement', () => {
    const lines = unifiedLines('a: 1\nb: 2\n', 'a: 1\nb: 3\n');
    expect(lines).toEqual([
      { kind: 'same', text: 'a: 1' },
      { kind: 'removed', text: 'b: 2' },
      { kind: 'added', text: 'b: 3' },
    ]);
    expect(sideBySideRows(lines)[1]).toEqual({
      live: { kind: 'removed', text: 'b: 2' },
      desired: { kind: 'added', text: 'b: 3' },
    });
  });
});
