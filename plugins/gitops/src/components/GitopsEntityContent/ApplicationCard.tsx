import {
  InfoCard,
  Link,
  StatusPending,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { ApplicationSummary } from '@internal/backstage-plugin-gitops-common';
import { safeHref } from '../safeHref';
import { StatusLabel } from './StatusLabel';

/** One application: where it comes from, where it goes, and its state. */
export function ApplicationCard({ app }: { app: ApplicationSummary }) {
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
  return (
    <InfoCard title={app.name} subheader="GitOps application">
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
