import { useApi } from '@backstage/core-plugin-api';
import {
  OperationDetail,
  gitopsApplicationRefreshPermission,
  gitopsApplicationSyncPermission,
} from '@internal/backstage-plugin-gitops-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { ReactElement, useState } from 'react';
import { gitopsApiRef } from '../../api';

const POLL_MS = 1000;

/** A button that, when not permitted, is disabled and says why on hover. */
function Guarded(props: {
  allowed: boolean;
  reason: string;
  children: ReactElement;
}) {
  if (props.allowed) return props.children;
  return (
    <Tooltip title={props.reason}>
      <span>{props.children}</span>
    </Tooltip>
  );
}

/**
 * Refresh, Hard refresh and Sync for one application, each confirmed where it
 * changes something; after a sync, its progress until the operation ends.
 */
export function ApplicationActions(props: {
  name: string;
  onChanged: () => void;
}) {
  const { name, onChanged } = props;
  const api = useApi(gitopsApiRef);
  const canSync = usePermission({
    permission: gitopsApplicationSyncPermission,
  });
  const canRefresh = usePermission({
    permission: gitopsApplicationRefreshPermission,
  });
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [dialogOpen, setDialogOpen] = useState(false);
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [operation, setOperation] = useState<OperationDetail | undefined>();

  async function act(label: string, action: () => Promise<void>) {
    setBusy(label);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
      onChanged();
    }
  }

  const refresh = (hard: boolean) =>
    act(hard ? 'Hard refreshing' : 'Refreshing', async () => {
      await api.refreshApplication(name, { hard });
    });

  const sync = () => {
    setDialogOpen(false);
    return act('Syncing', async () => {
      const started = await api.syncApplication(name, { prune, dryRun });
      let current = await api.getOperation(name, started.id);
      setOperation(current);
      while (current.phase === 'Running' || current.phase === 'Terminating') {
        await new Promise(resolve => setTimeout(resolve, POLL_MS));
        current = await api.getOperation(name, started.id);
        setOperation(current);
      }
    });
  };

  const noSync = 'You are not allowed to sync GitOps applications';
  const noRefresh = 'You are not allowed to refresh GitOps applications';
  return (
    <Box display="flex" flexDirection="column" mb={2}>
      <Box display="flex" style={{ gap: 8 }}>
        <Guarded allowed={canSync.allowed} reason={noSync}>
          <Button
            variant="contained"
            color="primary"
            disabled={!canSync.allowed || Boolean(busy)}
            onClick={() => setDialogOpen(true)}
          >
            Sync
          </Button>
        </Guarded>
        {[
          { label: 'Refresh', hard: false },
          { label: 'Hard refresh', hard: true },
        ].map(({ label, hard }) => (
          <Guarded key={label} allowed={canRefresh.allowed} reason={noRefresh}>
            <Button
              variant="outlined"
              disabled={!canRefresh.allowed || Boolean(busy)}
              onClick={() => refresh(hard)}
            >
              {label}
            </Button>
          </Guarded>
        ))}
      </Box>
      {busy && <Typography variant="body2">{busy}…</Typography>}
      {operation && (
        <Typography variant="body2" role="status">
          {`Sync ${operation.phase}${
            operation.message ? `: ${operation.message}` : ''
          }`}
        </Typography>
      )}
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      <Dialog open={dialogOpen} onClose={() => setDialogOpen(false)}>
        <DialogTitle>Sync {name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Applies the manifests of the target revision to the cluster, with
            their hooks and waves.
          </DialogContentText>
          <FormControlLabel
            control={
              <Checkbox checked={prune} onChange={(_, v) => setPrune(v)} />
            }
            label="Prune resources that left Git"
          />
          <FormControlLabel
            control={
              <Checkbox checked={dryRun} onChange={(_, v) => setDryRun(v)} />
            }
            label="Dry run (change nothing)"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialogOpen(false)}>Cancel</Button>
          <Button color="primary" variant="contained" onClick={sync}>
            Sync
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
