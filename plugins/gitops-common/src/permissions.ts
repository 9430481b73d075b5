import { createPermission } from '@backstage/plugin-permission-common';

/** @public Read applications, their status, resources, diffs and history. */
export const gitopsApplicationReadPermission = createPermission({
  name: 'gitops.application.read',
  attributes: { action: 'read' },
});

/** @public Start a sync (including dry runs and selective syncs). */
export const gitopsApplicationSyncPermission = createPermission({
  name: 'gitops.application.sync',
  attributes: { action: 'update' },
});

/** @public Refresh or hard-refresh an application from Git. */
export const gitopsApplicationRefreshPermission = createPermission({
  name: 'gitops.application.refresh',
  attributes: { action: 'update' },
});

/** @public Roll back to a revision from the history. */
export const gitopsApplicationRollbackPermission = createPermission({
  name: 'gitops.application.rollback',
  attributes: { action: 'update' },
});

/** @public Terminate a running operation. */
export const gitopsApplicationTerminatePermission = createPermission({
  name: 'gitops.application.terminate',
  attributes: { action: 'update' },
});

/** @public Every permission of the plugin, for policies and the permission router. */
export const gitopsPermissions = [
  gitopsApplicationReadPermission,
  gitopsApplicationSyncPermission,
  gitopsApplicationRefreshPermission,
  gitopsApplicationRollbackPermission,
  gitopsApplicationTerminatePermission,
];
