import { useApi } from '@backstage/core-plugin-api';
import {
  OperationSummary,
  ResourceDiff,
  gitopsApplicationRefreshPermission,
  gitopsApplicationSyncPermission,
} from '@backstage-gitops/plugin-gitops-common';
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

/** A button that, when not permitted, is disabled and says why on hover. */
export function Guarded(props: {
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

function describe(d: ResourceDiff) {
  return `${d.kind}/${d.namespace ? `${d.namespace}/` : ''}${d.name}`;
}

/** What a sync would do, from the last comparison's diff. */
function SyncPreview(props: {
  diffs?: ResourceDiff[];
  prune: boolean;
  error?: string;
}) {
  const { diffs, prune, error } = props;
  if (error) {
    return (
      <Typography variant="body2" color="error">
        {`The preview is not available: ${error}`}
      </Typography>
    );
  }
  if (!diffs)
    return <Typography variant="body2">Loading the preview…</Typography>;
  const changed = diffs.filter(d => d.changes.length > 0 && !d.requiresPruning);
  const prunable = diffs.filter(d => d.requiresPruning);
  if (changed.length === 0 && prunable.length === 0) {
    return (
      <Typography variant="body2">
        Nothing differs as of the last comparison: hooks still run.
      </Typography>
    );
  }
  return (
    <Box aria-label="Sync preview" role="list">
      {changed.map(d => (
        <Typography variant="body2" role="listitem" key={d.key}>
          {`${d.liveText ? 'Update' : 'Create'} ${describe(d)}`}
        </Typography>
      ))}
      {prunable.map(d => (
        <Typography variant="body2" role="listitem" key={d.key}>
          {prune
            ? `Delete ${describe(d)}`
            : `Keep ${describe(d)} (not in Git; prune is off)`}
        </Typography>
      ))}
    </Box>
  );
}

/**
 * Refresh, Hard refresh and Sync for one application. Sync is confirmed in a
 * dialog that previews the change; the started operation is handed to
 * `onStarted`, which follows it.
 */
export function ApplicationActions(props: {
  name: string;
  onChanged: () => void;
  onStarted?: (operation: OperationSummary) => void;
  /** A running operation: no second sync until it ends. */
  busyReason?: string;
}) {
  const { name, onChanged, onStarted } = props;
  const api = useApi(gitopsApiRef);
  const canSync = usePermission({
    permission: gitopsApplicationSyncPermission,
    // The application is the resource: owners may act on their own.
    resourceRef: name,
  });
  const canRefresh = usePermission({
    permission: gitopsApplicationRefreshPermission,
    resourceRef: name,
  });
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [dialogOpen, setDialogOpen] = useState(false);
  const [hardOpen, setHardOpen] = useState(false);
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [preview, setPreview] = useState<{
    diffs?: ResourceDiff[];
    error?: string;
  }>({});

  // A started sync reloads the page when it ends, not when it starts.
  async function act(
    label: string,
    action: () => Promise<void>,
    reload = true,
  ) {
    setBusy(label);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
      onChanged();
      return;
    } finally {
      setBusy(undefined);
    }
    if (reload) onChanged();
  }

  const refresh = (hard: boolean) =>
    act(hard ? 'Hard refreshing' : 'Refreshing', async () => {
      await api.refreshApplication(name, { hard });
    });

  const openSync = () => {
    setDialogOpen(true);
    setPreview({});
    api.getDiff(name).then(
      res => setPreview({ diffs: res.items }),
      e => setPreview({ error: (e as Error).message }),
    );
  };

  const sync = () => {
    setDialogOpen(false);
    return act(
      'Starting the sync',
      async () => {
        onStarted?.(await api.syncApplication(name, { prune, dryRun }));
      },
      false,
    );
  };

  const noSync = canSync.allowed
    ? props.busyReason ?? ''
    : 'You are not allowed to sync GitOps applications';
  const noRefresh = 'You are not allowed to refresh GitOps applications';
  return (
    <Box display="flex" flexDirection="column" mb={2}>
      <Box display="flex" style={{ gap: 8 }}>
        <Guarded allowed={!noSync} reason={noSync}>
          <Button
            variant="contained"
            color="primary"
            disabled={!!noSync || Boolean(busy)}
            onClick={openSync}
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
              onClick={() => (hard ? setHardOpen(true) : refresh(false))}
            >
              {label}
            </Button>
          </Guarded>
        ))}
      </Box>
      {busy && <Typography variant="body2">{busy}…</Typography>}
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
      {/* A refresh only reads; a hard one also throws away the render cache. */}
      <Dialog open={hardOpen} onClose={() => setHardOpen(false)}>
        <DialogTitle>Hard refresh {name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Drops the cached manifests, fetches Git and renders them again
            before comparing. Nothing in the cluster changes.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setHardOpen(false)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            onClick={() => {
              setHardOpen(false);
              refresh(true);
            }}
          >
            Hard refresh
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={dialogOpen} onClose={() => setDialogOpen(false)}>
        <DialogTitle>Sync {name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Applies the manifests of the target revision to the cluster, with
            their hooks and waves.
          </DialogContentText>
          <SyncPreview
            diffs={preview.diffs}
            error={preview.error}
            prune={prune}
          />
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
