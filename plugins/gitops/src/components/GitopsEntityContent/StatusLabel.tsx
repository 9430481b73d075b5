import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  HealthStatusCode,
  SyncStatusCode,
} from '@backstage-gitops/plugin-gitops-common';

const healthIcons: Record<HealthStatusCode, typeof StatusOK> = {
  Healthy: StatusOK,
  Progressing: StatusRunning,
  Degraded: StatusError,
  Suspended: StatusAborted,
  Missing: StatusWarning,
  Unknown: StatusPending,
};

const syncIcons: Record<SyncStatusCode, typeof StatusOK> = {
  Synced: StatusOK,
  OutOfSync: StatusWarning,
  Unknown: StatusPending,
};

/** A status word with Backstage's matching status icon. */
export function StatusLabel(
  props:
    | { kind: 'health'; value: HealthStatusCode }
    | { kind: 'sync'; value: SyncStatusCode },
) {
  const Icon =
    props.kind === 'health' ? healthIcons[props.value] : syncIcons[props.value];
  return <Icon>{props.value}</Icon>;
}
