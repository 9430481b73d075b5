import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { OperationSummary } from '@backstage-gitops/plugin-gitops-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { initiatorName, shortSha } from '../format';
import { DiffView } from './DiffView';
import { HookTimeline } from './HookTimeline';

/** One history entry: its timeline, then the diff it set out to apply. */
export function OperationDialog(props: {
  application: string;
  operation: OperationSummary;
  onClose: () => void;
}) {
  const { application, operation, onClose } = props;
  const api = useApi(gitopsApiRef);
  const detail = useAsync(
    () => api.getOperation(application, operation.id),
    [api, application, operation.id],
  );
  const diff = useAsync(
    () => api.getOperationDiff(application, operation.id),
    [api, application, operation.id],
  );
  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth>
      <DialogTitle>
        {`${operation.dryRun ? 'Dry run' : 'Sync'} of ${shortSha(
          operation.revision,
        )} by ${initiatorName(operation.initiatedBy)}: ${operation.phase}`}
      </DialogTitle>
      <DialogContent>
        {operation.message && (
          <Typography variant="body2" gutterBottom>
            {operation.message}
          </Typography>
        )}
        <Typography variant="h6">Timeline</Typography>
        {detail.loading && <Progress />}
        {detail.error && <ResponseErrorPanel error={detail.error} />}
        {detail.value && <HookTimeline operation={detail.value} />}
        <Typography variant="h6" style={{ marginTop: 16 }}>
          What it set out to change
        </Typography>
        {diff.loading && <Progress />}
        {diff.error && <ResponseErrorPanel error={diff.error} />}
        {diff.value && (
          <DiffView
            items={diff.value.items}
            emptyText="Nothing differed when this sync started."
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
