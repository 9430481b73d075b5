import request from 'supertest';
import { startGitopsBackend } from './__testUtils__/startGitopsBackend';

jest.setTimeout(60_000);

const api = '/api/gitops';

describe('mutating routes accept JSON only', () => {
  let backend: Awaited<ReturnType<typeof startGitopsBackend>>;

  beforeAll(async () => {
    backend = await startGitopsBackend({
      applications: [
        {
          name: 'shop',
          source: { repoURL: 'http://127.0.0.1:1/shop.git', path: 'deploy' },
          destination: { cluster: 'test', namespace: 'shop' },
        },
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it.each([
    ['sync', 'application/x-www-form-urlencoded', 'prune=true'],
    ['sync', 'text/plain', '{"prune":true}'],
    ['refresh', 'application/x-www-form-urlencoded', 'hard=true'],
    ['refresh', 'text/plain', 'hello'],
  ])('refuses a %s with a %s body with 415', async (action, type, body) => {
    const res = await request(backend.server)
      .post(`${api}/applications/shop/${action}`)
      .set('Content-Type', type)
      .send(body);
    expect(res.status).toBe(415);
    expect(res.body.error.message).toContain(type);
  });

  it('lets a JSON body and a POST without a body through', async () => {
    // An unknown application answers 404: the request reached the route.
    const json = await request(backend.server)
      .post(`${api}/applications/nope/sync`)
      .send({ prune: true });
    expect(json.status).toBe(404);
    const charset = await request(backend.server)
      .post(`${api}/applications/nope/sync`)
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{}');
    expect(charset.status).toBe(404);
    const empty = await request(backend.server).post(
      `${api}/applications/nope/refresh`,
    );
    expect(empty.status).toBe(404);
  });

  it('leaves the webhook route to its own body handling', async () => {
    const res = await request(backend.server)
      .post(`${api}/webhook`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('payload=%7B%7D');
    expect(res.status).not.toBe(415);
  });
});
