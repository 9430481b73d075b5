import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ListApplicationsResponse } from '@internal/backstage-plugin-gitops-common';
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

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('gitops');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
