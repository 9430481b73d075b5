import { createApiRef } from '@backstage/core-plugin-api';
import {
  ApplicationSummary,
  ListApplicationsResponse,
  OperationDetail,
  OperationSummary,
} from '@internal/backstage-plugin-gitops-common';

/** @public What the GitOps tab needs from the backend. */
export interface GitopsApi {
  listApplications(request: {
    entityRef?: string;
    offset?: number;
    limit?: number;
  }): Promise<ListApplicationsResponse>;
  /** Compares now; `hard` also drops the render cache. */
  refreshApplication(
    name: string,
    options: { hard: boolean },
  ): Promise<ApplicationSummary>;
  /** Starts a sync; the operation goes on after the answer. */
  syncApplication(
    name: string,
    options: { prune: boolean; dryRun: boolean },
  ): Promise<OperationSummary>;
  getOperation(name: string, id: string): Promise<OperationDetail>;
}

/** @public */
export const gitopsApiRef = createApiRef<GitopsApi>({ id: 'plugin.gitops' });
