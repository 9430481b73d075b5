import {
  InfoCard,
  Link,
  StatusPending,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { ApplicationSummary } from '@internal/backstage-plugin-gitops-common';
import { safeHref } from '../safeHref';
import { ApplicationActions } from './ApplicationActions';
import { StatusLabel } from './StatusLabel';

/** One application: where it comes from, where it goes, and its state. */
export function ApplicationCard({
  app,
  onChanged,
}: {
  app: ApplicationSummary;
  onChanged: () => void;
}) {
  const repoHref = safeHref(app.source.repoURL);
  const metadata = {
    'Sync status': app.status ? (
      <StatusLabel kind="sync" value={app.status.sync} />
    ) : (
      <StatusPending>Not reconciled yet</StatusPending>
    ),
    Health: app.status ? (
      <StatusLabel kind="health" value={app.status.health} />
    ) : (
      <StatusPending>Not reconciled yet</StatusPending>
    ),
    Repository: repoHref ? (
      <Link to={repoHref}>{app.source.repoURL}</Link>
    ) : (
      app.source.repoURL
    ),
    Path: app.source.path || '(repository root)',
    'Target revision': app.source.targetRevision,
    Revision: app.status?.revision ?? '—',
    Destination: `${app.destination.cluster}${
      app.destination.namespace ? ` / ${app.destination.namespace}` : ''
    }`,
    'Defined in':
      app.origin === 'catalog' ? 'catalog annotations' : 'app-config',
  };
  // Conditions explain the status, so they come before it, in words.
  const conditions = app.status?.conditions ?? [];
  return (
    <InfoCard title={app.name} subheader="GitOps application">
      <ApplicationActions name={app.name} onChanged={onChanged} />
      {conditions.map(condition => (
        <WarningPanel
          key={`${condition.type}:${condition.message}`}
          severity={condition.type === 'Warning' ? 'warning' : 'error'}
          title={condition.type}
          message={condition.message}
        />
      ))}
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
