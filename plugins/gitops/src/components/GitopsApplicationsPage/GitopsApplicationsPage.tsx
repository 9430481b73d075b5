import {
  Content,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ApplicationSummary } from '@backstage-gitops/plugin-gitops-common';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { shortSha } from '../format';
import { StatusLabel } from '../GitopsEntityContent/StatusLabel';

type Row = ApplicationSummary & {
  id: string;
  syncText: string;
  healthText: string;
  cluster: string;
  originText: string;
};

const columns: TableColumn<Row>[] = [
  { title: 'Name', field: 'name', highlight: true },
  {
    title: 'Sync',
    field: 'syncText',
    render: r =>
      r.status ? (
        <StatusLabel kind="sync" value={r.status.sync} />
      ) : (
        'Not reconciled yet'
      ),
  },
  {
    title: 'Health',
    field: 'healthText',
    render: r =>
      r.status ? (
        <StatusLabel kind="health" value={r.status.health} />
      ) : (
        'Not reconciled yet'
      ),
  },
  {
    title: 'Revision',
    render: r => <code>{shortSha(r.status?.revision)}</code>,
  },
  { title: 'Repository', field: 'source.repoURL' },
  { title: 'Path', field: 'source.path', emptyValue: '(root)' },
  { title: 'Cluster', field: 'cluster' },
  { title: 'Namespace', field: 'destination.namespace', emptyValue: '—' },
  { title: 'Defined in', field: 'originText' },
  {
    title: 'Condition',
    render: r => (
      <Typography variant="body2" color="error">
        {r.status?.conditions?.[0]?.message ?? ''}
      </Typography>
    ),
  },
];

/** Every application the user may see, with filters and search. */
export function GitopsApplicationsContent() {
  const api = useApi(gitopsApiRef);
  const { value, loading, error } = useAsync(
    () => api.listApplications({ limit: 500 }),
    [api],
  );
  const rows = useMemo(
    () =>
      (value?.items ?? []).map(app => ({
        ...app,
        id: app.name,
        syncText: app.status?.sync ?? 'Not reconciled',
        healthText: app.status?.health ?? 'Not reconciled',
        cluster: app.destination.cluster,
        originText: app.origin,
      })),
    [value],
  );
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <>
      {(value?.problems ?? []).length > 0 && (
        <WarningPanel
          severity="warning"
          title={`${value!.problems.length} definition(s) cannot be used`}
        >
          {value!.problems.map(p => (
            <Typography variant="body2" key={`${p.origin}:${p.message}`}>
              {`${p.origin}: ${p.message}`}
            </Typography>
          ))}
        </WarningPanel>
      )}
      <Table<Row>
        title={`Applications${value ? ` (${value.totalItems})` : ''}`}
        isLoading={loading}
        columns={columns}
        data={rows}
        options={{
          paging: true,
          pageSize: 20,
          search: true,
          padding: 'dense',
        }}
        filters={[
          { column: 'Sync', type: 'select' },
          { column: 'Health', type: 'select' },
          { column: 'Cluster', type: 'select' },
          { column: 'Defined in', type: 'select' },
        ]}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            No applications you may see. Annotate a catalog entity with
            gitops.backstage.io/repo-url, or declare one in gitops.applications.
          </Typography>
        }
      />
    </>
  );
}

/** The page for apps on the legacy frontend system. */
export function GitopsApplicationsPage() {
  return (
    <Page themeId="tool">
      <Header title="GitOps applications" />
      <Content>
        <GitopsApplicationsContent />
      </Content>
    </Page>
  );
}
