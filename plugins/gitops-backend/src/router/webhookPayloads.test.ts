import { createHmac } from 'node:crypto';
import request from 'supertest';
import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';

jest.setTimeout(120_000);

const SECRET = 'payload-s3cret';
const sign = (body: string) =>
  `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const REPO = 'https://git.example.com/org/payloads.git';

/** A correctly signed push of each host, as its documentation shows one. */
const hosts = {
  GitHub: {
    headers: (body: string) => ({
      'X-GitHub-Event': 'push',
      'X-Hub-Signature-256': sign(body),
    }),
    valid: {
      ref: 'refs/heads/main',
      repository: { clone_url: REPO, default_branch: 'main' },
      commits: [{ added: ['a.yaml'], modified: [], removed: [] }],
    },
    malformed: {
      ref: 'refs/heads/main',
      repository: { clone_url: REPO },
      commits: [{ added: { a: 1 } }],
    },
    field: 'commits[0].added',
  },
  GitLab: {
    headers: () => ({
      'X-Gitlab-Event': 'Push Hook',
      'X-Gitlab-Token': SECRET,
    }),
    valid: {
      object_kind: 'push',
      ref: 'refs/heads/main',
      project: { git_http_url: REPO, default_branch: 'main' },
      total_commits_count: 1,
      commits: [{ added: [], modified: ['a.yaml'], removed: [] }],
    },
    malformed: {
      object_kind: 'push',
      ref: 'refs/heads/main',
      project: { git_http_url: REPO },
      total_commits_count: '1',
      commits: [],
    },
    field: 'total_commits_count',
  },
  'Bitbucket Server': {
    headers: (body: string) => ({
      'X-Event-Key': 'repo:refs_changed',
      'X-Hub-Signature': sign(body),
    }),
    valid: {
      eventKey: 'repo:refs_changed',
      repository: { links: { clone: [{ href: REPO, name: 'http' }] } },
      changes: [{ ref: { id: 'refs/heads/main', displayId: 'main' } }],
    },
    malformed: {
      eventKey: 'repo:refs_changed',
      repository: { links: { clone: { href: REPO } } },
      changes: [],
    },
    field: 'repository.links.clone',
  },
  'Bitbucket Cloud': {
    headers: (body: string) => ({
      'X-Event-Key': 'repo:push',
      'X-Hook-UUID': '{b1d8a2c4-hook}',
      'X-Hub-Signature': sign(body),
    }),
    valid: {
      repository: {
        full_name: 'org/payloads',
        links: { html: { href: 'https://bitbucket.org/org/payloads' } },
      },
      push: { changes: [{ new: { type: 'branch', name: 'main' } }] },
    },
    malformed: {
      repository: { full_name: 'org/payloads' },
      push: { changes: [{ new: { type: 'branch', name: ['main'] } }] },
    },
    field: 'push.changes[0].new.name',
  },
};

describe('webhook payloads are checked against their host’s schema', () => {
  let backend: GitopsTestBackend;

  beforeAll(async () => {
    backend = await startGitopsTestBackend({
      gitops: {
        webhooks: {
          github: { secret: SECRET },
          gitlab: { secret: SECRET },
          bitbucketServer: { secret: SECRET },
          bitbucketCloud: { secret: SECRET },
        },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  const deliver = (host: keyof typeof hosts, payload: unknown) => {
    const body = JSON.stringify(payload);
    return request(backend.server)
      .post('/api/gitops/webhook')
      .set('Content-Type', 'application/json')
      .set(hosts[host].headers(body))
      .send(body);
  };

  it.each(Object.keys(hosts) as (keyof typeof hosts)[])(
    'answers a signed but malformed %s push with 400 naming the field',
    async host => {
      const res = await deliver(host, hosts[host].malformed);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        new RegExp(`^Invalid ${host} push payload: `),
      );
      expect(res.body.error.message).toContain(hosts[host].field);
    },
  );

  it.each(Object.keys(hosts) as (keyof typeof hosts)[])(
    'still accepts a valid %s push',
    async host => {
      const res = await deliver(host, hosts[host].valid);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ refreshed: [] });
    },
  );

  it('accepts a Bitbucket Cloud push that deleted a branch (new: null)', async () => {
    const res = await deliver('Bitbucket Cloud', {
      repository: { full_name: 'org/payloads' },
      push: { changes: [{ old: { type: 'branch', name: 'gone' }, new: null }] },
    });
    expect(res.status).toBe(202);
  });
});
