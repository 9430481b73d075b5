import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
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
import { GitopsApi } from './GitopsApi';
import { followOperation } from './followOperation';

const app = (name: string) => `/applications/${encodeURIComponent(name)}`;
const op = (name: string, id: string) =>
  `${app(name)}/operations/${encodeURIComponent(id)}`;

/** @public Talks to the gitops backend plugin over HTTP. */
export class GitopsClient implements GitopsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async listApplications(request: {
    entityRef?: string;
    offset?: number;
    limit?: number;
  }): Promise<ListApplicationsResponse> {
    const query = new URLSearchParams();
    if (request.entityRef) query.set('entityRef', request.entityRef);
    if (request.offset !== undefined) query.set('offset', `${request.offset}`);
    if (request.limit !== undefined) query.set('limit', `${request.limit}`);
    return this.get(`/applications?${query}`);
  }

  getApplication(name: string): Promise<ApplicationDetail> {
    return this.get(app(name));
  }

  getDiff(name: string): Promise<ApplicationDiffResponse> {
    return this.get(`${app(name)}/diff`);
  }

  refreshApplication(
    name: string,
    options: { hard: boolean },
  ): Promise<ApplicationSummary> {
    const query = options.hard ? '?hard=true' : '';
    return this.send('POST', `${app(name)}/refresh${query}`);
  }

  syncApplication(
    name: string,
    options: { prune: boolean; dryRun: boolean },
  ): Promise<OperationSummary> {
    return this.send('POST', `${app(name)}/sync`, options);
  }

  rollbackApplication(
    name: string,
    request: RollbackRequest,
  ): Promise<OperationSummary> {
    return this.send('POST', `${app(name)}/rollback`, request);
  }

  listOperations(
    name: string,
    page: { offset: number; limit: number },
  ): Promise<ListOperationsResponse> {
    const query = new URLSearchParams({
      offset: `${page.offset}`,
      limit: `${page.limit}`,
    });
    return this.get(`${app(name)}/operations?${query}`);
  }

  getOperation(name: string, id: string): Promise<OperationDetail> {
    return this.get(op(name, id));
  }

  getOperationDiff(name: string, id: string): Promise<ApplicationDiffResponse> {
    return this.get(`${op(name, id)}/diff`);
  }

  async terminateOperation(name: string, id: string): Promise<void> {
    await this.send('POST', `${op(name, id)}/terminate`, {});
  }

  followOperation(
    name: string,
    id: string,
    onChange: (operation: OperationDetail) => void,
    onEnd?: (error?: Error) => void,
  ): () => void {
    return followOperation({
      open: async signal => {
        const baseUrl = await this.deps.discoveryApi.getBaseUrl('gitops');
        return this.deps.fetchApi.fetch(`${baseUrl}${op(name, id)}/events`, {
          headers: { Accept: 'text/event-stream' },
          signal,
        });
      },
      poll: () => this.getOperation(name, id),
      onChange,
      onEnd,
    });
  }

  private get<T>(path: string): Promise<T> {
    return this.send('GET', path);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('gitops');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
