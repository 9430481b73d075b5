import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ApplicationSummary,
  OperationDetail,
  OperationSummary,
} from '@backstage-gitops/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitopsApiRef } from '../../api';
import { ApplicationActions } from '../GitopsEntityContent/ApplicationActions';
import { ApplicationCard } from '../GitopsEntityContent/ApplicationCard';
import { DiffView } from './DiffView';
import { HistoryTable } from './HistoryTable';
import { HookTimeline } from './HookTimeline';
import { OperationProgress } from './OperationProgress';
import { ResourcesTable } from './ResourcesTable';

const TABS = ['Resources', 'Diff', 'Last sync', 'History'] as const;
// The status changes without us: the loop, webhooks, other users, and the
// refresh that follows a sync a moment after the operation ends.
const RELOAD_MS = 10_000;
const RUNNING = ['Running', 'Terminating'];

function DiffTab({ name, version }: { name: string; version: unknown }) {
  const api = useApi(gitopsApiRef);
  const diff = useAsync(() => api.getDiff(name), [api, name, version]);
  if (diff.loading && !diff.value) return <Progress />;
  if (diff.error) return <ResponseErrorPanel error={diff.error} />;
  return <DiffView items={diff.value?.items ?? []} />;
}

function LastSyncTab(props: { name: string; operation?: OperationSummary }) {
  const api = useApi(gitopsApiRef);
  const { name, operation } = props;
  const detail = useAsync(
    async () => (operation ? api.getOperation(name, operation.id) : undefined),
    [api, name, operation?.id, operation?.phase],
  );
  if (!operation) {
    return (
      <Typography variant="body2" style={{ padding: 16 }}>
        Not synced yet: press Sync to deploy the target revision.
      </Typography>
    );
  }
  if (detail.loading && !detail.value) return <Progress />;
  if (detail.error) return <ResponseErrorPanel error={detail.error} />;
  return detail.value ? <HookTimeline operation={detail.value} /> : null;
}

/**
 * Everything about one application: the overview with its actions, the live
 * progress of a running operation, and tabs for resources, diff, the last
 * sync's timeline and the history.
 */
export function ApplicationSection(props: {
  app: ApplicationSummary;
  onChanged: () => void;
}) {
  const { app, onChanged } = props;
  const api = useApi(gitopsApiRef);
  const detail = useAsyncRetry(() => api.getApplication(app.name), [api, app]);
  const [tab, setTab] = useState(0);
  const [followId, setFollowId] = useState<string | undefined>();
  const [followed, setFollowed] = useState<OperationDetail | undefined>();
  const [version, setVersion] = useState(0);

  // An operation already running when the page opens is followed too, once.
  const running = detail.value?.lastOperation;
  const followedIds = useRef(new Set<string>());
  useEffect(() => {
    if (
      running &&
      RUNNING.includes(running.phase) &&
      !followId &&
      !followedIds.current.has(running.id)
    ) {
      setFollowId(running.id);
    }
  }, [running, followId]);

  const reload = detail.retry;
  useEffect(() => {
    const timer = setInterval(() => {
      if (!document.hidden) reload();
    }, RELOAD_MS);
    return () => clearInterval(timer);
  }, [reload]);
  useEffect(() => {
    if (!followId) return undefined;
    followedIds.current.add(followId);
    return api.followOperation(app.name, followId, setFollowed, () => {
      setFollowId(undefined);
      setVersion(v => v + 1);
      reload();
      onChanged();
    });
  }, [api, app.name, followId, reload, onChanged]);

  const started = (operation: OperationSummary) => {
    setFollowed({ ...operation, tasks: [] });
    setFollowId(operation.id);
    setVersion(v => v + 1);
  };
  const changed = () => {
    setVersion(v => v + 1);
    reload();
    onChanged();
  };

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <ApplicationCard
        app={app}
        detail={detail.value}
        actions={
          <>
            <ApplicationActions
              name={app.name}
              onChanged={changed}
              onStarted={started}
              busyReason={
                followId
                  ? 'An operation is running; wait for it or terminate it'
                  : undefined
              }
            />
            {followed && (
              <OperationProgress application={app.name} operation={followed} />
            )}
          </>
        }
      />
      <Paper>
        <Tabs
          value={tab}
          onChange={(_, value) => setTab(value)}
          indicatorColor="primary"
          aria-label={`${app.name} details`}
        >
          {TABS.map(label => (
            <Tab key={label} label={label} />
          ))}
        </Tabs>
        <Box p={2}>
          {detail.loading && !detail.value && <Progress />}
          {detail.error && <ResponseErrorPanel error={detail.error} />}
          {tab === 0 && detail.value && (
            <ResourcesTable resources={detail.value.resources} />
          )}
          {tab === 1 && <DiffTab name={app.name} version={version} />}
          {tab === 2 && detail.value && (
            <LastSyncTab name={app.name} operation={detail.value.lastSync} />
          )}
          {tab === 3 && (
            <HistoryTable
              application={app.name}
              version={version}
              onRollbackStarted={started}
            />
          )}
        </Box>
      </Paper>
    </Box>
  );
}
