import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApplicationSummary,
  ListApplicationsResponse,
  OperationDetail,
  OperationSummary,
} from '@internal/backstage-plugin-gitops-common';
import { GitopsApi } from './GitopsApi';

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

  refreshApplication(
    name: string,
    options: { hard: boolean },
  ): Promise<ApplicationSummary> {
    const query = options.hard ? '?hard=true' : '';
    return this.send(
      'POST',
      `/applications/${encodeURIComponent(name)}/refresh${query}`,
    );
  }

  syncApplication(
    name: string,
    options: { prune: boolean; dryRun: boolean },
  ): Promise<OperationSummary> {
    return this.send(
      'POST',
      `/applications/${encodeURIComponent(name)}/sync`,
      options,
    );
  }

  getOperation(name: string, id: string): Promise<OperationDetail> {
    return this.get(
      `/applications/${encodeURIComponent(
        name,
      )}/operations/${encodeURIComponent(id)}`,
    );
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
