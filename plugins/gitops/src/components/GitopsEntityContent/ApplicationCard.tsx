import {
  InfoCard,
  Link,
  StatusPending,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import {
  ApplicationDetail,
  ApplicationSummary,
  isWarningCondition,
} from '@backstage-gitops/plugin-gitops-common';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import {
  durationBetween,
  formatTime,
  initiatorName,
  shortSha,
  subject,
} from '../format';
import { safeHref } from '../safeHref';
import { StatusLabel } from './StatusLabel';

function Revision({ app }: { app: ApplicationSummary }) {
  const revision = app.status?.revision;
  if (!revision) return <>—</>;
  const info = app.status?.revisionInfo;
  return (
    <>
      <code>{revision}</code>
      {info && (
        <Typography variant="body2">
          {`${subject(info.message)} — ${info.author}${
            info.date ? `, ${formatTime(info.date)}` : ''
          }`}
        </Typography>
      )}
    </>
  );
}

function LastSync({ detail }: { detail?: ApplicationDetail }) {
  const op = detail?.lastSync;
  if (!op) return <>{detail ? 'Never synced' : '—'}</>;
  return (
    <>
      {`${op.phase} ${formatTime(op.startedAt)}, by ${initiatorName(
        op.initiatedBy,
      )}`}
      <Typography variant="caption" display="block">
        {`revision ${shortSha(op.revision)}, took ${durationBetween(
          op.startedAt,
          op.finishedAt,
        )}`}
      </Typography>
    </>
  );
}

/**
 * One application's overview: conditions first and in words, then sync,
 * health, the revision with its commit, the last sync, and where it comes
 * from and goes.
 */
export function ApplicationCard({
  app,
  detail,
  actions,
}: {
  app: ApplicationSummary;
  detail?: ApplicationDetail;
  actions?: ReactNode;
}) {
  const current = detail ?? app;
  const repoHref = safeHref(app.source.repoURL);
  const pause = current.status?.autoSyncPaused;
  const metadata = {
    'Sync status': current.status ? (
      <StatusLabel kind="sync" value={current.status.sync} />
    ) : (
      <StatusPending>Not reconciled yet</StatusPending>
    ),
    Health: current.status ? (
      <StatusLabel kind="health" value={current.status.health} />
    ) : (
      <StatusPending>Not reconciled yet</StatusPending>
    ),
    Revision: <Revision app={current} />,
    'Last sync': <LastSync detail={detail} />,
    Repository: repoHref ? (
      <Link to={repoHref}>{app.source.repoURL}</Link>
    ) : (
      app.source.repoURL
    ),
    Path: app.source.path || '(repository root)',
    'Target revision': app.source.targetRevision,
    Destination: `${app.destination.cluster}${
      app.destination.namespace ? ` / ${app.destination.namespace}` : ''
    }`,
    'Sync policy': current.syncPolicy?.automated
      ? `Automated${current.syncPolicy.automated.prune ? ', prune' : ''}${
          current.syncPolicy.automated.selfHeal ? ', self-heal' : ''
        }`
      : 'Manual',
    'Defined in': {
      catalog: 'catalog annotations',
      config: 'app-config',
      argocd: 'Argo CD Application',
    }[app.origin],
  };
  // Conditions explain the status, so they come before it, in words.
  const conditions = current.status?.conditions ?? [];
  return (
    <InfoCard title={app.name} subheader="GitOps application">
      {actions}
      {conditions.map(condition => (
        <WarningPanel
          key={`${condition.type}:${condition.message}`}
          severity={isWarningCondition(condition) ? 'warning' : 'error'}
          title={condition.type}
          message={condition.message}
        />
      ))}
      {pause && (
        <WarningPanel
          severity="info"
          title="Automated sync is paused after a rollback"
          message={`Rolled back to ${shortSha(
            pause.revision,
          )} by ${initiatorName(pause.by)} at ${formatTime(
            pause.at,
          )}. Automated sync resumes when Git moves past ${
            pause.gitRevision
              ? shortSha(pause.gitRevision)
              : 'its current revision'
          }.`}
        />
      )}
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
