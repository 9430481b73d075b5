import { renderInTestApp } from '@backstage/test-utils';
import { OperationDetail } from '@backstage-gitops/plugin-gitops-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import recorded from '../../__fixtures__/operation.json';
import { HookTimeline } from './HookTimeline';
import { layoutTimeline } from './timelineLayout';

const operation = recorded as OperationDetail;

describe('HookTimeline', () => {
  it('draws failures first, then in sync order, with phases and waves as bands', async () => {
    await renderInTestApp(<HookTimeline operation={operation} />);
    const bars = screen
      .getAllByRole('button')
      .map(b => b.getAttribute('aria-label'));
    expect(bars).toEqual([
      'Job/smoke-test: SyncFailed (hook Failed)',
      'Job/migrate: Synced (hook Succeeded)',
      'ConfigMap/settings: Synced',
      'Deployment/api: Synced',
    ]);
    for (const band of [
      'PreSync · wave 0',
      'Sync · wave -1',
      'Sync · wave 1',
      'PostSync · wave 0',
    ]) {
      expect(screen.getByTitle(band)).toBeInTheDocument();
    }
  });

  it('shows a bar’s message when clicked', async () => {
    await renderInTestApp(<HookTimeline operation={operation} />);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Job/smoke-test: SyncFailed (hook Failed)',
      }),
    );
    expect(
      screen.getByText('Job has reached the specified backoff limit'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/PostSync, wave 0, create-hook; .* took 11s/),
    ).toBeInTheDocument();
  });

  it('explains an operation without tasks', async () => {
    await renderInTestApp(
      <HookTimeline
        operation={{ ...operation, tasks: [], message: 'cluster unreachable' }}
      />,
    );
    expect(screen.getByText('Nothing was synced')).toBeInTheDocument();
    expect(screen.getByText('cluster unreachable')).toBeInTheDocument();
  });
});

describe('layoutTimeline', () => {
  it('places bars on the axis by time, and grows a running one to now', () => {
    const running = {
      ...operation,
      finishedAt: undefined,
      tasks: [{ ...operation.tasks[0], finishedAt: undefined }],
    };
    const now = Date.parse('2026-11-26T03:00:20.000Z');
    const { bars, spanMs } = layoutTimeline(
      running.tasks,
      running.startedAt,
      undefined,
      now,
    );
    expect(spanMs).toBe(20_000);
    expect(bars[0]).toMatchObject({ left: 0, width: 100 });
  });
});
