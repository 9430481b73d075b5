import { createHmac } from 'node:crypto';
import os from 'node:os';
import request from 'supertest';
import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';

jest.setTimeout(120_000);

const SECRET = 'error-bodies-s3cret';
const MARKER = 'marker-7f3c9e-from-the-body';
const sign = (body: string) =>
  `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

/** What would tell an attacker how the server is built. */
function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain('    at ');
  expect(text).not.toContain('node_modules');
  expect(text).not.toContain(process.cwd());
  expect(text).not.toContain(os.tmpdir());
  expect(text).not.toContain(process.env.GITOPS_ROOT ?? '/nowhere/');
}

// Issue 13, item 8: what a 4xx answer contains with NODE_ENV=production.
describe('error answers in production', () => {
  let backend: GitopsTestBackend;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // Backstage's error handler reads NODE_ENV when the backend starts.
    process.env.NODE_ENV = 'production';
    backend = await startGitopsTestBackend({
      gitops: {
        webhooks: {
          github: { secret: SECRET },
          bitbucketCloud: { secret: SECRET },
        },
      },
    });
  });

  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await backend?.stop();
  });

  it('does not echo a body that is not JSON (400)', async () => {
    const res = await request(backend.server)
      .post('/api/gitops/applications/error-bodies-app/sync')
      .set('Content-Type', 'application/json')
      .send(`{"dryRun": true, "${MARKER}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message: 'The request body is not valid JSON',
    });
    expect(res.text).not.toContain(MARKER);
    expect(res.text).not.toContain('dryRun');
    expectNothingInternal(res.text);
  });

  it('does not echo a signed webhook body that is not JSON (400)', async () => {
    const body = `{"ref": "${MARKER}`;
    const res = await request(backend.server)
      .post('/api/gitops/webhook')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'push')
      .set('X-Hub-Signature-256', sign(body))
      .send(body);
    expect(res.status).toBe(400);
    expect(res.text).not.toContain(MARKER);
    expectNothingInternal(res.text);
  });

  it('shows no stack or server path in 400, 404, 413 and 415 answers', async () => {
    const server = backend.server;
    const answers = await Promise.all([
      request(server).get('/api/gitops/applications?limit=many'),
      request(server).get('/api/gitops/applications/error-bodies-missing'),
      request(server)
        .post('/api/gitops/applications/error-bodies-app/sync')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ pad: 'x'.repeat(200 * 1024) })),
      request(server)
        .post('/api/gitops/applications/error-bodies-app/sync')
        .set('Content-Type', 'text/plain')
        .send('sync please'),
    ]);
    expect(answers.map(res => res.status)).toEqual([400, 404, 413, 415]);
    for (const res of answers) {
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(res.body.error.stack).toBeUndefined();
      expectNothingInternal(res.text);
    }
  });

  it('masks the secret of a Bitbucket Cloud hook URL in its error answers', async () => {
    const malformed = JSON.stringify({
      repository: { full_name: 'org/error-bodies' },
      push: { changes: [{ new: { type: 'branch', name: ['main'] } }] },
    });
    const deliver = (secret: string) =>
      request(backend.server)
        .post(`/api/gitops/webhook?secret=${secret}&from=bitbucket`)
        .set('Content-Type', 'application/json')
        .set('X-Event-Key', 'repo:push')
        .set('X-Hook-UUID', '{e7b1-error-bodies}')
        .send(malformed);

    const accepted = await deliver(SECRET);
    expect(accepted.status).toBe(400);
    expect(accepted.body.error.message).toContain('push.changes[0].new.name');
    expect(accepted.text).not.toContain(SECRET);
    expect(accepted.body.request.url).toBe(
      '/webhook?secret=***&from=bitbucket',
    );

    const refused = await deliver('guessed-s3cret');
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain('guessed-s3cret');
  });
});
