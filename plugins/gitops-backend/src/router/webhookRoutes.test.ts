import { createHmac } from 'node:crypto';
import request from 'supertest';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import {
  GitopsTestBackend,
  eventually,
  listedApplication,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';

jest.setTimeout(120_000);

const SECRET = 'webhook-s3cret';
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('POST /api/gitops/webhook', () => {
  let git: Awaited<ReturnType<typeof startGitServer>>;
  let backend: GitopsTestBackend;
  let repoURL: string;

  beforeAll(async () => {
    git = await startGitServer();
    const repo = await createTestRepo(git, 'hooked');
    repoURL = repo.url;
    await repo.commit({
      'cart/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cart\n',
      'web/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    });
    const app = (name: string) => ({
      name,
      source: { repoURL, path: name },
      destination: { cluster: 'test', namespace: 'default' },
    });
    backend = await startGitopsTestBackend({
      gitops: {
        applications: [app('cart'), app('web')],
        webhooks: {
          maxBodyBytes: 4096,
          github: { secret: SECRET },
          gitlab: { secret: SECRET },
          bitbucketCloud: { secret: SECRET },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await git?.close();
  });

  const push = (files: string[]) =>
    JSON.stringify({
      ref: 'refs/heads/main',
      repository: { clone_url: repoURL, default_branch: 'main' },
      commits: [{ added: [], modified: files, removed: [] }],
    });

  it('refuses a bad signature with 401 and refreshes nothing', async () => {
    const body = push(['cart/cm.yaml', 'web/cm.yaml']);
    const res = await request(backend.server)
      .post('/api/gitops/webhook')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'push')
      .set('X-Hub-Signature-256', sign(body, 'wrong'))
      .send(body);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe(
      'GitHub webhook signature or secret does not match',
    );
    const gitlab = await request(backend.server)
      .post('/api/gitops/webhook')
      .set('Content-Type', 'application/json')
      .set('X-Gitlab-Event', 'Push Hook')
      .set('X-Gitlab-Token', 'nope')
      .send(body);
    expect(gitlab.status).toBe(401);
    // Give a wrongly started refresh the time to show.
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect((await listedApplication(backend.server, 'cart')).app.status).toBe(
      undefined,
    );
    expect((await listedApplication(backend.server, 'web')).app.status).toBe(
      undefined,
    );
  });

  it('refuses hosts without a configured secret, and oversized bodies with 413', async () => {
    const bitbucket = await request(backend.server)
      .post('/api/gitops/webhook')
      .set('X-Event-Key', 'repo:refs_changed')
      .send('{}');
    expect(bitbucket.status).toBe(403);
    const big = JSON.stringify({ padding: 'x'.repeat(10_000) });
    const res = await request(backend.server)
      .post('/api/gitops/webhook')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'push')
      .set('X-Hub-Signature-256', sign(big))
      .send(big);
    expect(res.status).toBe(413);
  });

  it('checks Bitbucket Cloud by its signature, or by the secret in the URL', async () => {
    const body = JSON.stringify({ push: { changes: [] }, repository: {} });
    const cloud = (url: string) =>
      request(backend.server)
        .post(url)
        .set('Content-Type', 'application/json')
        .set('X-Event-Key', 'repo:push')
        .set('X-Hook-UUID', '{hook}');
    expect((await cloud('/api/gitops/webhook').send(body)).status).toBe(401);
    expect(
      (await cloud('/api/gitops/webhook?secret=wrong').send(body)).status,
    ).toBe(401);
    expect(
      (await cloud(`/api/gitops/webhook?secret=${SECRET}`).send(body)).body,
    ).toEqual({ refreshed: [] });
    expect(
      (
        await cloud('/api/gitops/webhook')
          .set('X-Hub-Signature', sign(body))
          .send(body)
      ).status,
    ).toBe(202);
    expect(
      (
        await cloud(`/api/gitops/webhook?secret=${SECRET}`)
          .set('X-Hub-Signature', sign(body, 'wrong'))
          .send(body)
      ).status,
    ).toBe(401);
  });

  it('acknowledges a signed ping without refreshing', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.' });
    const res = await request(backend.server)
      .post('/api/gitops/webhook')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'ping')
      .set('X-Hub-Signature-256', sign(body))
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ refreshed: [], ignored: 'not a push event' });
  });

  it('refreshes only the application whose path the signed push changed', async () => {
    const body = push(['cart/cm.yaml']);
    const res = await request(backend.server)
      .post('/api/gitops/webhook')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'push')
      .set('X-Hub-Signature-256', sign(body))
      .send(body);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ refreshed: ['cart'] });
    const cart = await eventually(async () => {
      const { app } = await listedApplication(backend.server, 'cart');
      return app.status;
    }, 'cart to be refreshed');
    expect(cart).toMatchObject({ sync: 'OutOfSync', conditions: [] });
    expect((await listedApplication(backend.server, 'web')).app.status).toBe(
      undefined,
    );
  });
});
