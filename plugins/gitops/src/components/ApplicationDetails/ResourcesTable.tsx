import { Table, TableColumn } from '@backstage/core-components';
import { ApplicationResource } from '@backstage-gitops/plugin-gitops-common';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { StatusLabel } from '../GitopsEntityContent/StatusLabel';

/** Lower comes first: what needs attention before what is fine. */
export function attentionRank(r: ApplicationResource): number {
  if (r.health === 'Degraded') return 0;
  if (r.sync === 'OutOfSync' || r.requiresPruning) return 1;
  if (r.health === 'Missing' || r.health === 'Unknown') return 2;
  if (r.health === 'Progressing') return 3;
  return 4;
}

type Row = ApplicationResource & {
  id: string;
  syncText: string;
  healthText: string;
};

const columns: TableColumn<Row>[] = [
  { title: 'Kind', field: 'kind' },
  { title: 'Namespace', field: 'namespace', emptyValue: '—' },
  { title: 'Name', field: 'name', highlight: true },
  { title: 'Wave', field: 'wave', type: 'numeric', width: '80px' },
  {
    title: 'Sync',
    field: 'syncText',
    render: r =>
      r.isHook ? (
        <Typography variant="body2" color="textSecondary">
          {`Hook (${r.hookType ?? 'hook'})`}
        </Typography>
      ) : (
        <>
          <StatusLabel kind="sync" value={r.sync ?? 'Unknown'} />
          {r.requiresPruning && (
            <Typography variant="caption" display="block">
              Requires pruning
            </Typography>
          )}
        </>
      ),
  },
  {
    title: 'Health',
    field: 'healthText',
    render: r =>
      r.health ? (
        <>
          <StatusLabel kind="health" value={r.health} />
          {r.healthMessage && (
            <Typography variant="caption" display="block">
              {r.healthMessage}
            </Typography>
          )}
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          —
        </Typography>
      ),
  },
];

/**
 * Every resource of the last comparison, failed and out-of-sync first, with
 * filters on kind, sync and health and a text search. Paged, so 500
 * resources render as fast as 20.
 */
export function ResourcesTable(props: { resources: ApplicationResource[] }) {
  const data = useMemo(
    () =>
      props.resources
        .map((r, index) => ({
          ...r,
          id: `${r.key}#${index}`,
          syncText: r.isHook ? 'Hook' : r.sync ?? 'Unknown',
          healthText: r.health ?? 'None',
          index,
        }))
        .sort(
          (a, b) => attentionRank(a) - attentionRank(b) || a.index - b.index,
        ),
    [props.resources],
  );
  return (
    <Table<Row>
      title={`Resources (${props.resources.length})`}
      columns={columns}
      data={data}
      options={{
        paging: data.length > 20,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        search: true,
        padding: 'dense',
        sorting: true,
      }}
      filters={[
        { column: 'Kind', type: 'multiple-select' },
        { column: 'Sync', type: 'select' },
        { column: 'Health', type: 'select' },
      ]}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No resources yet: the application has not been compared, or its source
          renders nothing.
        </Typography>
      }
    />
  );
}
