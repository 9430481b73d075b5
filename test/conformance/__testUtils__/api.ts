import type {
  ApplicationDetail,
  ApplicationStatus,
  ListApplicationsResponse,
  OperationDetail,
  OperationSummary,
} from '@backstage-gitops/plugin-gitops-common';
import request from 'supertest';
import type { Server } from './conformanceBackend';

const FINISHED = ['Succeeded', 'Failed', 'Error'];

/** The REST API a user (or the UI) drives, as the suite drives it. */
export function gitopsApi(server: Server) {
  const base = '/api/gitops/applications';
  const ok = <T>(res: request.Response, what: string): T => {
    if (res.status >= 300) {
      throw new Error(
        `${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    return res.body as T;
  };

  const api = {
    /** Every application, with the problems of the definitions not read. */
    async list(): Promise<ListApplicationsResponse> {
      return ok(await request(server).get(base), 'list applications');
    },
    async application(name: string): Promise<ApplicationDetail> {
      return ok(await request(server).get(`${base}/${name}`), `read ${name}`);
    },
    async refresh(name: string): Promise<ApplicationStatus> {
      const body = ok<{ status: ApplicationStatus }>(
        await request(server).post(`${base}/${name}/refresh`).send({}),
        `refresh ${name}`,
      );
      return body.status;
    },
    async sync(name: string, body: Record<string, unknown> = {}) {
      return ok<OperationSummary>(
        await request(server).post(`${base}/${name}/sync`).send(body),
        `sync ${name}`,
      );
    },
    /** A rollback to an operation, as the History tab asks; the raw answer. */
    async rollback(name: string, operationId: string) {
      return request(server)
        .post(`${base}/${name}/rollback`)
        .send({ operationId });
    },
    async operations(name: string): Promise<OperationSummary[]> {
      return ok<{ items: OperationSummary[] }>(
        await request(server).get(`${base}/${name}/operations?limit=100`),
        `operations of ${name}`,
      ).items;
    },
    async operation(name: string, id: string): Promise<OperationDetail> {
      return ok(
        await request(server).get(`${base}/${name}/operations/${id}`),
        `operation ${id} of ${name}`,
      );
    },
    /** Follows an operation until it ends; generous, the cluster may be busy. */
    async finished(
      name: string,
      id: string,
      timeoutMs = 150_000,
    ): Promise<OperationDetail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const op = await api.operation(name, id);
        if (FINISHED.includes(op.phase)) return op;
        if (Date.now() > deadline) {
          throw new Error(
            `operation ${id} of ${name} still ${
              op.phase
            } after ${timeoutMs} ms: ${JSON.stringify(op.tasks)}`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 300));
      }
    },
  };
  return api;
}

export type GitopsApi = ReturnType<typeof gitopsApi>;
