import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  OperationSummary,
  gitopsApplicationRollbackPermission,
} from '@backstage-gitops/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { gitopsApiRef } from '../../api';
import {
  durationBetween,
  formatTime,
  initiatorName,
  shortSha,
} from '../format';
import { OperationDialog } from './OperationDialog';

const PAGE = 20;

function rollbackBlocker(op: OperationSummary, allowed: boolean) {
  if (!allowed) return 'You are not allowed to roll back GitOps applications';
  if (op.dryRun) return 'A dry run deployed nothing to roll back to';
  if (op.selective)
    return 'A sync of chosen resources is no history entry to roll back to';
  if (op.phase !== 'Succeeded')
    return 'Only a succeeded sync can be rolled back to';
  if (!op.revision) return 'This operation has no revision';
  return undefined;
}

/**
 * The application's operations, newest first, a page at a time (served from
 * summary columns). Open one for its timeline and diff; roll back to one.
 */
export function HistoryTable(props: {
  application: string;
  /** Changes whenever the history may have grown. */
  version: unknown;
  onRollbackStarted: (operation: OperationSummary) => void;
}) {
  const { application, onRollbackStarted } = props;
  const api = useApi(gitopsApiRef);
  const canRollback = usePermission({
    permission: gitopsApplicationRollbackPermission,
    // The application is the resource: owners may act on their own.
    resourceRef: application,
  });
  const [opened, setOpened] = useState<OperationSummary | undefined>();
  const [confirm, setConfirm] = useState<OperationSummary | undefined>();
  const [error, setError] = useState<string | undefined>();

  const rollback = async (op: OperationSummary) => {
    setConfirm(undefined);
    setError(undefined);
    try {
      onRollbackStarted(
        await api.rollbackApplication(application, { operationId: op.id }),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const columns: TableColumn<OperationSummary>[] = [
    { title: 'Started', render: op => formatTime(op.startedAt) },
    {
      title: 'Revision',
      render: op => <code title={op.revision}>{shortSha(op.revision)}</code>,
    },
    { title: 'Initiated by', render: op => initiatorName(op.initiatedBy) },
    {
      title: 'Result',
      render: op => (
        <>
          {`${op.phase}${op.dryRun ? ' (dry run)' : ''}`}
          {op.message && (
            <Typography variant="caption" display="block">
              {op.message}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Duration',
      render: op => durationBetween(op.startedAt, op.finishedAt),
    },
    {
      title: 'Actions',
      // Both buttons on one line, whatever width the other columns take.
      cellStyle: { whiteSpace: 'nowrap' },
      render: op => {
        const blocker = rollbackBlocker(op, canRollback.allowed);
        const button = (
          <Button
            size="small"
            variant="outlined"
            disabled={!!blocker}
            style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
            onClick={() => setConfirm(op)}
            aria-label={`Roll back to ${shortSha(op.revision)}`}
          >
            Rollback
          </Button>
        );
        return (
          <Box display="flex" style={{ gap: 4 }}>
            <Button size="small" onClick={() => setOpened(op)}>
              Open
            </Button>
            {blocker ? (
              <Tooltip title={blocker}>
                <span>{button}</span>
              </Tooltip>
            ) : (
              button
            )}
          </Box>
        );
      },
    },
  ];

  return (
    <>
      {error && (
        <Typography color="error" role="alert">
          {error}
        </Typography>
      )}
      <Table<OperationSummary>
        key={String(props.version)}
        title="History"
        columns={columns}
        options={{
          paging: true,
          pageSize: PAGE,
          pageSizeOptions: [PAGE],
          search: false,
          sorting: false,
          padding: 'dense',
        }}
        data={query =>
          api
            .listOperations(application, {
              offset: query.page * query.pageSize,
              limit: query.pageSize,
            })
            .then(res => ({
              data: res.items,
              page: query.page,
              totalCount: res.totalItems,
            }))
        }
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            No sync yet. Operations appear here as they start.
          </Typography>
        }
      />
      {opened && (
        <OperationDialog
          application={application}
          operation={opened}
          onClose={() => setOpened(undefined)}
        />
      )}
      <Dialog open={!!confirm} onClose={() => setConfirm(undefined)}>
        <DialogTitle>{`Roll back ${application}?`}</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {`Deploys revision ${shortSha(
              confirm?.revision,
            )} again. Automated sync, if any, pauses until Git moves past its current revision, so this rollback is not undone behind your back.`}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(undefined)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            onClick={() => confirm && rollback(confirm)}
          >
            Roll back
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
