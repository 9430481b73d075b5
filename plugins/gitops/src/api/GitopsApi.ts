import { createApiRef } from '@backstage/core-plugin-api';
import {
  ApplicationDetail,
  ApplicationDiffResponse,
  ApplicationSummary,
  ListApplicationsResponse,
  ListOperationsResponse,
  OperationDetail,
  OperationSummary,
  RollbackRequest,
} from '@backstage-gitops/plugin-gitops-common';

/** @public What the GitOps UI needs from the backend. */
export interface GitopsApi {
  listApplications(request: {
    entityRef?: string;
    offset?: number;
    limit?: number;
  }): Promise<ListApplicationsResponse>;
  /** Status, resources and the last operations of one application. */
  getApplication(name: string): Promise<ApplicationDetail>;
  /** Desired against live, as of the last comparison. */
  getDiff(name: string): Promise<ApplicationDiffResponse>;
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
  /** Syncs the revision of a history entry again. */
  rollbackApplication(
    name: string,
    request: RollbackRequest,
  ): Promise<OperationSummary>;
  listOperations(
    name: string,
    page: { offset: number; limit: number },
  ): Promise<ListOperationsResponse>;
  getOperation(name: string, id: string): Promise<OperationDetail>;
  /** What an operation set out to change. */
  getOperationDiff(name: string, id: string): Promise<ApplicationDiffResponse>;
  terminateOperation(name: string, id: string): Promise<void>;
  /**
   * Calls `onChange` with the operation now and each time it changes, until
   * it ends (then `onEnd`) or the returned function is called.
   */
  followOperation(
    name: string,
    id: string,
    onChange: (operation: OperationDetail) => void,
    onEnd?: (error?: Error) => void,
  ): () => void;
}

/** @public */
export const gitopsApiRef = createApiRef<GitopsApi>({ id: 'plugin.gitops' });
