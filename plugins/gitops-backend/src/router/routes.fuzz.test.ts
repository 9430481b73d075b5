import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { fuzzAsync, jsonish } from '../__testUtils__/fuzz';
import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';

// Every route's input schema against random JSON bodies and queries, through
// one real backend: a bad request is a 4xx in words, never a 5xx. Few runs
// per route, as each is a real HTTP round trip (and some do real work).

jest.setTimeout(600_000);

const APP = 'fuzz-routes-app';
const SECRET = 'fuzz-webhook-s3cret';
const RUNS = { numRuns: 30 };

// The fields the routes read, so random values reach their checks.
const BODY_KEYS = [
  'dryRun',
  'prune',
  'force',
  'revision',
  'resources',
  'group',
  'kind',
  'name',
  'namespace',
  'syncOptions',
  'strategy',
  'apply',
  'hook',
  'retry',
  'limit',
  'operationId',
  'id',
  'application',
  'source',
  'repoURL',
  'path',
  'targetRevision',
  'destination',
  'cluster',
  'syncPolicy',
  'ignoreDifferences',
];
const QUERY_KEYS = [
  'limit',
  'offset',
  'cursor',
  'before',
  'after',
  'action',
  'sync',
  'health',
  'entityRef',
  'filter',
  'q',
];
const name = fc.oneof(
  fc.constant(APP),
  fc.constantFrom('nope', '..', '%2e%2e', 'a'.repeat(300), '__proto__'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const query = fc.dictionary(
  fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })),
  fc.oneof(fc.string({ maxLength: 12 }), fc.array(fc.string({ maxLength: 4 }))),
  { maxKeys: 4, noNullPrototype: true },
);
const body = jsonish(BODY_KEYS, 4);

describe('routes (fuzzed)', () => {
  let git: Awaited<ReturnType<typeof startGitServer>>;
  let backend: GitopsTestBackend;

  beforeAll(async () => {
    git = await startGitServer();
    const repo = await createTestRepo(git, 'fuzz-routes');
    await repo.commit({
      'app/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fuzz-routes\n',
    });
    backend = await startGitopsTestBackend({
      gitops: {
        applications: [
          {
            name: APP,
            source: { repoURL: repo.url, path: 'app' },
            destination: { cluster: 'test', namespace: 'default' },
          },
        ],
        webhooks: {
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

  const api = (path: string) =>
    `/api/gitops/${path.split('/').map(encodeURIComponent).join('/')}`;

  // Every status seen: the suite must reach the handlers, not stop at the
  // authentication or content-type checks in front of them.
  const statuses = new Map<number, number>();

  const expectNo5xx = (res: request.Response, what: string) => {
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) {
      throw new Error(`${what} answered ${res.status}: ${res.text}`);
    }
    expect(res.status).toBeLessThan(500);
  };

  it.each([
    'refresh',
    'sync',
    'rollback',
    'operations/1/terminate',
    'operations/x/terminate',
  ])(
    'POST /applications/:name/%s answers random bodies below 500',
    async route => {
      await fuzzAsync(
        fc.asyncProperty(name, body, query, async (app, json, q) => {
          const res = await request(backend.server)
            .post(api(`applications/${app}/${route}`))
            .query(q)
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(json));
          expectNo5xx(res, `POST ${route} ${JSON.stringify(json)}`);
        }),
        RUNS,
      );
    },
  );

  it('POST /applications/validate answers random bodies below 500', async () => {
    await fuzzAsync(
      fc.asyncProperty(body, async json => {
        const res = await request(backend.server)
          .post('/api/gitops/applications/validate')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(json));
        expectNo5xx(res, `validate ${JSON.stringify(json)}`);
      }),
      RUNS,
    );
  });

  it.each([
    '',
    '/operations',
    '/operations/1',
    '/operations/1/diff',
    '/operations/1/events',
    '/diff',
    '/audit',
    '/badge',
  ])(
    'GET /applications/:name%s answers random queries below 500',
    async route => {
      await fuzzAsync(
        fc.asyncProperty(name, query, async (app, q) => {
          const res = await request(backend.server)
            .get(`${api(`applications/${app}`)}${route}`)
            .query(q);
          expectNo5xx(res, `GET ${route} ${JSON.stringify(q)}`);
        }),
        RUNS,
      );
    },
  );

  it('GET /applications answers random queries below 500', async () => {
    await fuzzAsync(
      fc.asyncProperty(query, async q => {
        const res = await request(backend.server)
          .get('/api/gitops/applications')
          .query(q);
        expectNo5xx(res, `GET applications ${JSON.stringify(q)}`);
      }),
      RUNS,
    );
  });

  const signed = (text: string) =>
    `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}`;
  const providers = {
    github: { 'X-GitHub-Event': 'push' },
    gitlab: { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': SECRET },
  };

  it.each(Object.keys(providers) as (keyof typeof providers)[])(
    'POST /webhook answers random signed %s payloads below 500',
    async provider => {
      await fuzzAsync(
        fc.asyncProperty(
          jsonish(['ref', 'repository', 'project', 'commits', 'added']),
          async json => {
            const text = JSON.stringify(json);
            const res = await request(backend.server)
              .post('/api/gitops/webhook')
              .set('Content-Type', 'application/json')
              .set(providers[provider])
              .set('X-Hub-Signature-256', signed(text))
              .send(text);
            expectNo5xx(res, `webhook ${provider} ${text}`);
          },
        ),
        RUNS,
      );
    },
  );

  // Last: the runs above must have reached the handlers.
  it('reached the handlers, with answers both accepted and refused', () => {
    const seen = [...statuses.keys()];
    expect(seen).toContain(400);
    expect(seen.some(status => status >= 200 && status < 300)).toBe(true);
  });
});
