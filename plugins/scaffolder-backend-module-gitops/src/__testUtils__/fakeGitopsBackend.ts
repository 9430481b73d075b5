import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  ApplicationDetail,
  ApplicationSummary,
  ApplicationValidationProblem,
  OperationDetail,
} from '@backstage-gitops/plugin-gitops-common';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createGitopsApiFactory } from '../client/GitopsApiClient';

/**
 * A local HTTP server that answers like the gitops backend's routes, for the
 * actions' unit tests (the end-to-end test runs the real one). Tests edit
 * `apps` and `operations`, and read `requests` to see what was asked.
 */
export async function startFakeGitopsBackend() {
  const state = {
    apps: new Map<string, ApplicationSummary & Partial<ApplicationDetail>>(),
    operations: new Map<string, OperationDetail>(),
    requests: [] as Array<{
      method: string;
      path: string;
      body?: any;
      auth?: string;
    }>,
    /** Called on each request, to move the story on (apps appear, become healthy). */
    onRequest: (_method: string, _path: string): void => {},
    forbidRefresh: false,
    /**
     * What `POST /applications/validate` answers besides a name in use (the
     * real backend's rules are tested against it in GitopsApiClient.test).
     */
    refusals: [] as ApplicationValidationProblem[],
  };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const url = new URL(req.url!, 'http://x');
    const method = req.method!;
    state.requests.push({
      method,
      path: url.pathname,
      body: text ? JSON.parse(text) : undefined,
      auth: req.headers.authorization,
    });
    state.onRequest(method, url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const notFound = () =>
      send(404, {
        error: { name: 'NotFoundError', message: 'No such application' },
      });
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    if (method === 'GET' && url.pathname === '/applications') {
      const items = [...state.apps.values()];
      return send(200, { items, problems: [], totalItems: items.length });
    }
    if (method === 'POST' && url.pathname === '/applications/validate') {
      const name = JSON.parse(text).name;
      const taken = state.apps.get(name);
      return send(200, {
        problems: [
          ...state.refusals,
          ...(taken
            ? [
                {
                  kind: 'nameTaken',
                  message: `an application named "${name}" already exists (defined by ${taken.entityRefs.join(
                    ', ',
                  )})`,
                },
              ]
            : []),
        ],
      });
    }
    const app = state.apps.get(parts[1]);
    if (parts[0] !== 'applications' || !app) return notFound();
    if (method === 'GET' && parts.length === 2) {
      return send(200, { resources: [], ...app });
    }
    if (method === 'POST' && parts[2] === 'refresh') {
      if (state.forbidRefresh) {
        return send(403, {
          error: { name: 'NotAllowedError', message: 'You may not refresh' },
        });
      }
      return send(200, app);
    }
    if (method === 'POST' && parts[2] === 'sync') {
      const id = `op-${state.operations.size + 1}`;
      const operation: OperationDetail = {
        id,
        application: app.name,
        phase: 'Running',
        initiatedBy: 'user:default/alice',
        dryRun: false,
        startedAt: new Date().toISOString(),
        tasks: [],
      };
      state.operations.set(id, operation);
      return send(202, operation);
    }
    if (method === 'GET' && parts[2] === 'operations' && parts[3]) {
      const operation = state.operations.get(parts[3]);
      return operation ? send(200, operation) : notFound();
    }
    return notFound();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = createGitopsApiFactory({
    auth: mockServices.auth(),
    discovery: {
      getBaseUrl: async () => baseUrl,
      getExternalBaseUrl: async () => baseUrl,
    },
  });
  return {
    state,
    api,
    credentials: mockCredentials.user('user:default/alice'),
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** An application as the backend lists it. */
export function summary(
  name: string,
  status?: ApplicationSummary['status'],
): ApplicationSummary {
  return {
    name,
    origin: 'catalog',
    entityRefs: [`component:default/${name}`],
    source: {
      repoURL: 'https://git.example.com/apps.git',
      path: name,
      targetRevision: 'HEAD',
    },
    destination: { cluster: 'in-cluster', namespace: name },
    ...(status ? { status } : {}),
  };
}
