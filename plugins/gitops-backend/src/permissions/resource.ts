import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { GITOPS_APPLICATION_RESOURCE_TYPE } from '@backstage-gitops/plugin-gitops-common';

/**
 * What permission rules see of an application: its name, the catalog
 * entities it belongs to, and the owners of those entities (entity refs of
 * users and groups, as the catalog's `ownedBy` relations name them).
 */
export interface GitopsApplicationResource {
  name: string;
  entityRefs: string[];
  owners: string[];
}

/**
 * Applications live in memory (merged from catalog, config and Argo CD YAML),
 * not in a table, so conditions are applied to loaded resources; the query
 * form only names the owners a rule accepts.
 */
export type GitopsApplicationQuery = { ownedBy: string[] };

/** The `gitops-application` resource type of the `gitops` plugin. */
export const gitopsApplicationResourceRef = createPermissionResourceRef<
  GitopsApplicationResource,
  GitopsApplicationQuery
>().with({
  pluginId: 'gitops',
  resourceType: GITOPS_APPLICATION_RESOURCE_TYPE,
});
