import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApplicationSummary,
  ListApplicationsResponse,
  OperationDetail,
  OperationSummary,
} from '@internal/backstage-plugin-gitops-common';

/**
 * The gitops backend's HTTP API, called on behalf of one user: every request
 * carries a token minted for that user, so their permissions apply exactly as
 * in the GitOps tab. The actions never reach the cluster themselves.
 */
export interface GitopsApi {
  /** Every application the user may see (all pages). */
  listApplications(): Promise<ApplicationSummary[]>;
  getApplication(name: string): Promise<ApplicationSummary | undefined>;
  refresh(name: string): Promise<ApplicationSummary>;
  sync(
    name: string,
    options: { prune: boolean; dryRun: boolean },
  ): Promise<OperationSummary>;
  listOperations(
    name: string,
    options: { limit: number },
  ): Promise<OperationSummary[]>;
  getOperation(name: string, id: string): Promise<OperationDetail>;
}

export type GitopsApiFactory = (credentials: BackstageCredentials) => GitopsApi;

const PAGE = 500;

export function createGitopsApiFactory(deps: {
  auth: AuthService;
  discovery: DiscoveryService;
}): GitopsApiFactory {
  return credentials => {
    async function send<T>(
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
    ): Promise<T> {
      const [baseUrl, { token }] = await Promise.all([
        deps.discovery.getBaseUrl('gitops'),
        deps.auth.getPluginRequestToken({
          onBehalfOf: credentials,
          targetPluginId: 'gitops',
        }),
      ]);
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return (await response.json()) as T;
    }
    const app = (name: string) => `/applications/${encodeURIComponent(name)}`;

    async function listApplications() {
      const items: ApplicationSummary[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await send<ListApplicationsResponse>(
          'GET',
          `/applications?offset=${offset}&limit=${PAGE}`,
        );
        items.push(...page.items);
        if (page.items.length < PAGE || items.length >= page.totalItems) {
          return items;
        }
      }
    }

    return {
      listApplications,
      async getApplication(name) {
        return (await listApplications()).find(a => a.name === name);
      },
      refresh: name => send('POST', `${app(name)}/refresh`),
      sync: (name, options) => send('POST', `${app(name)}/sync`, options),
      async listOperations(name, { limit }) {
        const page = await send<{ items: OperationSummary[] }>(
          'GET',
          `${app(name)}/operations?limit=${limit}`,
        );
        return page.items;
      },
      getOperation: (name, id) =>
        send('GET', `${app(name)}/operations/${encodeURIComponent(id)}`),
    };
  };
}
