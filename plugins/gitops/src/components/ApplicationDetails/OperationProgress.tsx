import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  OperationDetail,
  gitopsApplicationTerminatePermission,
} from '@backstage-gitops/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { gitopsApiRef } from '../../api';
import { Guarded } from '../GitopsEntityContent/ApplicationActions';
import { HookTimeline } from './HookTimeline';

const RUNNING = ['Running', 'Terminating'];

/**
 * The operation an action started (or found running), live: its phase in
 * words, its timeline, and Terminate while it runs.
 */
export function OperationProgress(props: {
  application: string;
  operation: OperationDetail;
}) {
  const { application, operation } = props;
  const api = useApi(gitopsApiRef);
  const canTerminate = usePermission({
    permission: gitopsApplicationTerminatePermission,
    // The application is the resource: owners may act on their own.
    resourceRef: application,
  });
  const [confirm, setConfirm] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const running = RUNNING.includes(operation.phase);
  const what = operation.dryRun ? 'Dry run' : 'Sync';
  return (
    <Box mb={2}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <Typography variant="body2" role="status">
          {`${what} ${operation.phase}${
            operation.message ? `: ${operation.message}` : ''
          }`}
        </Typography>
        {running && (
          <Guarded
            allowed={canTerminate.allowed}
            reason="You are not allowed to terminate GitOps operations"
          >
            <Button
              size="small"
              variant="outlined"
              disabled={
                !canTerminate.allowed || operation.phase === 'Terminating'
              }
              onClick={() => setConfirm(true)}
            >
              Terminate
            </Button>
          </Guarded>
        )}
      </Box>
      {running && <LinearProgress />}
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      <HookTimeline operation={operation} />
      <Dialog open={confirm} onClose={() => setConfirm(false)}>
        <DialogTitle>Terminate this sync?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The sync stops after its current step; what it applied stays
            applied.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirm(false)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            onClick={() => {
              setConfirm(false);
              api
                .terminateOperation(application, operation.id)
                .catch(e => setError((e as Error).message));
            }}
          >
            Terminate
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
