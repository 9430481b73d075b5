import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { startGitopsTestBackend } from '../__testUtils__/gitopsTestBackend';

jest.setTimeout(120_000);

describe('audit trail', () => {
  it('records sync, refresh and terminate with the user and outcome, newest first', async () => {
    const git = await startGitServer();
    const repo = await createTestRepo(git, 'audited');
    await repo.commit({
      'deploy/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: audited\n',
    });
    const { server, stop } = await startGitopsTestBackend({
      gitops: {
        applications: [
          {
            name: 'audited',
            source: { repoURL: repo.url, path: 'deploy' },
            destination: { cluster: 'test', namespace: 'default' },
          },
        ],
      },
    });
    try {
      const api = '/api/gitops/applications/audited';
      expect(
        (await request(server).post(`${api}/refresh?hard=true`)).status,
      ).toBe(200);
      const sync = await request(server)
        .post(`${api}/sync`)
        .send({ dryRun: true });
      expect(sync.status).toBe(202);
      const terminate = await request(server)
        .post(`${api}/operations/not-an-operation/terminate`)
        .send({});
      expect(terminate.status).toBe(409);

      const rollback = await request(server)
        .post(`${api}/rollback`)
        .send({ operationId: sync.body.id });
      expect(rollback.status).toBe(409);
      const rolledBack = await request(server).get(`${api}/audit?limit=1`);
      expect(rolledBack.body.items).toEqual([
        expect.objectContaining({
          action: 'rollback',
          outcome: 'refused',
          details: { operationId: sync.body.id },
          message: expect.stringContaining('is not a succeeded sync'),
        }),
      ]);

      const page = await request(server).get(`${api}/audit?offset=1&limit=2`);
      expect(page.status).toBe(200);
      expect(page.body.totalItems).toBe(4);
      expect(page.body.items).toEqual([
        expect.objectContaining({
          action: 'terminate',
          actor: 'user:default/mock',
          outcome: 'refused',
          message: 'Operation not-an-operation of "audited" is not running',
          details: { operationId: 'not-an-operation' },
        }),
        expect.objectContaining({
          action: 'sync',
          actor: 'user:default/mock',
          outcome: 'accepted',
          details: { dryRun: true, operationId: sync.body.id },
        }),
      ]);
      const rest = await request(server).get(`${api}/audit?offset=3`);
      expect(rest.body.items).toEqual([
        expect.objectContaining({
          action: 'hard-refresh',
          outcome: 'accepted',
        }),
      ]);
      expect((await request(server).get(`${api}/audit?limit=0`)).status).toBe(
        400,
      );
      expect(
        (await request(server).get('/api/gitops/applications/unknown/audit'))
          .status,
      ).toBe(404);
    } finally {
      await stop();
      await git.close();
    }
  });

  it('needs the read permission, and answers a forbidden caller like an unknown application would', async () => {
    const { server, stop } = await startGitopsTestBackend({
      permission: AuthorizeResult.DENY,
      gitops: {
        applications: [
          {
            name: 'secret-app',
            source: { repoURL: 'https://git.example.com/a.git' },
          },
        ],
      },
    });
    try {
      const res = await request(server).get(
        '/api/gitops/applications/secret-app/audit',
      );
      expect(res.status).toBe(403);
      const unknown = await request(server).get(
        '/api/gitops/applications/nope/audit',
      );
      expect(unknown.status).toBe(403);
      expect(unknown.body.error.message).toBe(res.body.error.message);
    } finally {
      await stop();
    }
  });
});
