import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApplicationDetail,
  ApplicationSummary,
  ApplicationValidationProblem,
  ApplicationValidationRequest,
  ApplicationValidationResponse,
  ListApplicationsResponse,
  OperationDetail,
  OperationSummary,
} from '@backstage-gitops/plugin-gitops-common';

/**
 * The gitops backend's HTTP API, called on behalf of one user: every request
 * carries a token minted for that user, so their permissions apply exactly as
 * in the GitOps tab. The actions never reach the cluster themselves.
 */
export interface GitopsApi {
  /** Every application the user may see (all pages). */
  listApplications(): Promise<ApplicationSummary[]>;
  /** The application with its resources; undefined when unknown or hidden. */
  getApplication(name: string): Promise<ApplicationDetail | undefined>;
  /**
   * Why the backend would refuse or shadow this application if it were
   * written now (definition, cluster, project rules, name in use); empty
   * when it would take it.
   */
  validateApplication(
    application: ApplicationValidationRequest,
  ): Promise<ApplicationValidationProblem[]>;
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
      if (!response.ok) {
        // The backend says why in the body ("You may not sync GitOps
        // applications"); the task log should show that, not only the status.
        const error = await ResponseError.fromResponse(response);
        error.message = `${error.body.error.message} (gitops API, ${response.status})`;
        throw error;
      }
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
        for (const item of page.items) items.push(item);
        if (page.items.length < PAGE || items.length >= page.totalItems) {
          return items;
        }
      }
    }

    return {
      listApplications,
      async getApplication(name) {
        try {
          return await send<ApplicationDetail>('GET', app(name));
        } catch (error) {
          // Unknown and forbidden answer alike, by design of the API.
          if ((error as ResponseError).statusCode === 404) return undefined;
          throw error;
        }
      },
      async validateApplication(application) {
        const answer = await send<ApplicationValidationResponse>(
          'POST',
          '/applications/validate',
          application,
        );
        return answer.problems;
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
