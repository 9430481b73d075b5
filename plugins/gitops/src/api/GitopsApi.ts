import { createApiRef } from '@backstage/core-plugin-api';
import { ListApplicationsResponse } from '@internal/backstage-plugin-gitops-common';

/** @public What the GitOps tab needs from the backend. */
export interface GitopsApi {
  listApplications(request: {
    entityRef?: string;
    offset?: number;
    limit?: number;
  }): Promise<ListApplicationsResponse>;
}

/** @public */
export const gitopsApiRef = createApiRef<GitopsApi>({ id: 'plugin.gitops' });
