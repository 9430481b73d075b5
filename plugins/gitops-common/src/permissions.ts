import { createPermission } from '@backstage/plugin-permission-common';

/**
 * @public The resource type of the GitOps permissions: an application, named
 * by its application name (its resource ref). Policies may answer with a
 * conditional decision on it, for example "owners of the application's
 * catalog entities" (the backend's `IS_ENTITY_OWNER` rule).
 */
export const GITOPS_APPLICATION_RESOURCE_TYPE = 'gitops-application';

/** @public Read applications, their status, resources, diffs and history. */
export const gitopsApplicationReadPermission = createPermission({
  name: 'gitops.application.read',
  attributes: { action: 'read' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/** @public Start a sync (including dry runs and selective syncs). */
export const gitopsApplicationSyncPermission = createPermission({
  name: 'gitops.application.sync',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/** @public Refresh or hard-refresh an application from Git. */
export const gitopsApplicationRefreshPermission = createPermission({
  name: 'gitops.application.refresh',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/** @public Roll back to a revision from the history. */
export const gitopsApplicationRollbackPermission = createPermission({
  name: 'gitops.application.rollback',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/** @public Terminate a running operation. */
export const gitopsApplicationTerminatePermission = createPermission({
  name: 'gitops.application.terminate',
  attributes: { action: 'update' },
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});

/** @public Every permission of the plugin, for policies and the permission router. */
export const gitopsPermissions = [
  gitopsApplicationReadPermission,
  gitopsApplicationSyncPermission,
  gitopsApplicationRefreshPermission,
  gitopsApplicationRollbackPermission,
  gitopsApplicationTerminatePermission,
];
