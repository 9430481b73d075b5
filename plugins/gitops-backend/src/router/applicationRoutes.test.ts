import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { startGitopsBackend } from './__testUtils__/startGitopsBackend';

jest.setTimeout(120_000);

type Server = Parameters<typeof request>[0];
const api = '/api/gitops/applications';

const configMap = (name: string, data: Record<string, string>, wave = 0) =>
  `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/sync-wave: "${wave}"
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}
`;
const secret = (value: string) =>
  `apiVersion: v1
kind: Secret
metadata:
  name: credentials
stringData:
  password: ${value}
`;
const preSyncJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: m, image: busybox }]
`;

// Superagent leaves non-text bodies such as SVG unparsed; read them as text.
function asText(
  res: request.Response,
  done: (error: Error | null, body: string) => void,
) {
  const stream = res as unknown as NodeJS.ReadableStream;
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  stream.on('end', () => done(null, text));
}

async function waitForOperation(server: Server, app: string, id: string) {
  let operation = { phase: 'Running' };
  for (let i = 0; i < 300 && operation.phase === 'Running'; i++) {
    await new Promise(resolve => setTimeout(resolve, 200));
    operation = (await request(server).get(`${api}/${app}/operations/${id}`))
      .body;
  }
  return operation as { phase: string; revision?: string };
}

async function waitForSync(server: Server, app: string, sync: string) {
  let detail: any;
  for (let i = 0; i < 150 && detail?.status?.sync !== sync; i++) {
    if (detail) await new Promise(resolve => setTimeout(resolve, 200));
    detail = (await request(server).get(`${api}/${app}`)).body;
  }
  return detail;
}

describe('application routes', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  let namespace: string;
  let git: Awaited<ReturnType<typeof startGitServer>>;

  beforeAll(async () => {
    git = await startGitServer();
  });
  afterAll(async () => {
    await git?.close();
  });
  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'routes');
  });
  afterEach(async () => {
    await cluster.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  it('shows status with the commit, resources, and a masked diff that marks ignored fields', async () => {
    const repo = await createTestRepo(git, 'detail');
    const sha = await repo.commit(
      {
        'deploy/settings.yaml': configMap(
          'settings',
          { a: '1', owner: 'x' },
          2,
        ),
        'deploy/secret.yaml': secret('hunter2'),
        'deploy/migrate.yaml': preSyncJob,
      },
      'Add settings\n\nWith a body',
    );
    const { server, stop } = await startGitopsBackend({
      applications: [
        {
          name: 'detail',
          source: { repoURL: repo.url, path: 'deploy' },
          destination: { cluster: 'test', namespace },
          ignoreDifferences: [
            { kind: 'ConfigMap', jsonPointers: ['/data/owner'] },
          ],
        },
      ],
    });
    try {
      const before = await request(server).get(`${api}/detail`);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ name: 'detail', resources: [] });
      expect(before.body.status).toBeUndefined();

      await request(server).post(`${api}/detail/refresh`).expect(200);
      const detail = (await request(server).get(`${api}/detail`)).body;
      expect(detail.status).toMatchObject({
        sync: 'OutOfSync',
        revision: sha,
        revisionInfo: {
          message: 'Add settings\n\nWith a body',
          author: 'Test',
          date: expect.stringMatching(/^\d{4}-/),
        },
      });
      expect(JSON.stringify(detail.status)).not.toContain('example.com');
      expect(detail.resources).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'ConfigMap',
            name: 'settings',
            namespace,
            group: '',
            version: 'v1',
            wave: 2,
            isHook: false,
            sync: 'OutOfSync',
            health: 'Missing',
            requiresPruning: false,
          }),
          expect.objectContaining({ kind: 'Secret', sync: 'OutOfSync' }),
          expect.objectContaining({
            kind: 'Job',
            name: 'migrate',
            isHook: true,
            hookType: 'PreSync',
          }),
        ]),
      );

      const diff = (await request(server).get(`${api}/detail/diff`)).body;
      expect(diff.items.map((d: any) => d.kind).sort()).toEqual([
        'ConfigMap',
        'Secret',
      ]);
      expect(JSON.stringify(diff)).not.toContain('hunter2');

      const started = await request(server).post(`${api}/detail/sync`).send({});
      expect(
        (await waitForOperation(server, 'detail', started.body.id)).phase,
      ).toBe('Succeeded');
      expect((await waitForSync(server, 'detail', 'Synced')).status.sync).toBe(
        'Synced',
      );
      // Synced: nothing left to show but what the rule ignores.
      expect((await request(server).get(`${api}/detail/diff`)).body).toEqual({
        items: [
          expect.objectContaining({
            kind: 'ConfigMap',
            sync: 'Synced',
            changes: [],
            ignored: [expect.objectContaining({ path: '/data/owner' })],
          }),
        ],
      });

      // A change to an ignored field is shown as ignored, never as drift.
      const live = await cluster.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'settings',
        namespace,
      });
      await cluster.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'settings',
          namespace,
          annotations: live!.metadata.annotations,
        },
        data: { a: '1', owner: 'someone else' },
      });
      await request(server).post(`${api}/detail/refresh`).expect(200);
      const ignored = (await request(server).get(`${api}/detail/diff`)).body;
      expect(ignored.items).toEqual([
        expect.objectContaining({
          kind: 'ConfigMap',
          sync: 'Synced',
          changes: [],
          ignored: [
            expect.objectContaining({ path: '/data/owner', differs: true }),
          ],
        }),
      ]);

      // What the sync set out to apply stays with its history entry, masked.
      const opDiff = (
        await request(server).get(
          `${api}/detail/operations/${started.body.id}/diff`,
        )
      ).body;
      expect(opDiff.items.map((d: any) => d.kind).sort()).toEqual([
        'ConfigMap',
        'Secret',
      ]);
      expect(JSON.stringify(opDiff)).not.toContain('hunter2');
      expect(
        (await request(server).get(`${api}/detail/operations/nope/diff`))
          .status,
      ).toBe(404);
    } finally {
      await stop();
    }
  });

  it('rolls back to a history entry, holds auto-sync until Git moves, and streams progress', async () => {
    const repo = await createTestRepo(git, 'rollback');
    const v1 = await repo.commit({
      'deploy/cm.yaml': configMap('colour', { colour: 'blue' }),
    });
    const { server, stop } = await startGitopsBackend({
      applications: [
        {
          name: 'rollback',
          source: { repoURL: repo.url, path: 'deploy' },
          destination: { cluster: 'test', namespace },
          syncPolicy: { automated: { selfHeal: false } },
        },
      ],
    });
    const liveColour = async () => {
      const live = await cluster.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'colour',
        namespace,
      });
      return (live?.data as { colour?: string } | undefined)?.colour;
    };
    const history = async () =>
      (await request(server).get(`${api}/rollback/operations`)).body;
    try {
      await request(server).post(`${api}/rollback/refresh`).expect(200);
      expect(
        (await waitForSync(server, 'rollback', 'Synced')).status.sync,
      ).toBe('Synced');
      const v2 = await repo.commit({
        'deploy/cm.yaml': configMap('colour', { colour: 'red' }),
      });
      await request(server).post(`${api}/rollback/refresh`).expect(200);
      let detail = await waitForSync(server, 'rollback', 'Synced');
      expect(detail.status.revision).toBe(v2);
      expect(await liveColour()).toBe('red');
      const entries = (await history()).items;
      expect(entries.map((o: any) => o.revision)).toEqual([v2, v1]);

      const bad = await request(server)
        .post(`${api}/rollback/rollback`)
        .send({ operationId: 42 });
      expect(bad.status).toBe(400);
      const unknown = await request(server)
        .post(`${api}/rollback/rollback`)
        .send({ operationId: 'nope' });
      expect(unknown.status).toBe(404);

      const started = await request(server)
        .post(`${api}/rollback/rollback`)
        .send({ operationId: entries[1].id });
      expect(started.status).toBe(202);
      expect(started.body).toMatchObject({
        revision: v1,
        initiatedBy: 'user:default/mock',
      });

      // Live progress: the operation as events, until it ends.
      const events = await request(server)
        .get(`${api}/rollback/operations/${started.body.id}/events`)
        .buffer(true)
        .parse(asText);
      expect(events.status).toBe(200);
      expect(events.headers['content-type']).toMatch(/text\/event-stream/);
      const frames = (events.body as string)
        .split('\n\n')
        .filter(f => f.startsWith('event: operation'))
        .map(f => JSON.parse(f.split('\ndata: ')[1]));
      expect(frames.length).toBeGreaterThan(0);
      expect(frames[frames.length - 1]).toMatchObject({
        id: started.body.id,
        phase: 'Succeeded',
      });
      expect(await liveColour()).toBe('blue');

      // Git still says red: OutOfSync, and auto-sync says why it waits.
      detail = await waitForSync(server, 'rollback', 'OutOfSync');
      expect(detail.status.autoSyncPaused).toMatchObject({
        reason: 'rollback',
        revision: v1,
        gitRevision: v2,
        operationId: started.body.id,
        by: 'user:default/mock',
      });
      await request(server).post(`${api}/rollback/refresh`).expect(200);
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect((await history()).totalItems).toBe(3);
      expect(await liveColour()).toBe('blue');

      // Git moves: automated sync resumes and deploys the new revision.
      const v3 = await repo.commit({
        'deploy/cm.yaml': configMap('colour', { colour: 'green' }),
      });
      await request(server).post(`${api}/rollback/refresh`).expect(200);
      detail = await waitForSync(server, 'rollback', 'Synced');
      expect(detail.status.revision).toBe(v3);
      expect(detail.status.autoSyncPaused).toBeUndefined();
      expect(await liveColour()).toBe('green');
      expect(detail.lastSync).toMatchObject({ revision: v3 });
    } finally {
      await stop();
    }
  });

  it('answers for unknown applications and failed history entries in words', async () => {
    const { server, stop } = await startGitopsBackend({
      applications: [
        {
          name: 'unreachable',
          source: { repoURL: 'https://git.invalid/x.git' },
          destination: { cluster: 'prod' },
        },
      ],
    });
    try {
      expect((await request(server).get(`${api}/nope`)).status).toBe(404);
      expect((await request(server).get(`${api}/nope/diff`)).status).toBe(404);
      const failed = await request(server)
        .post(`${api}/unreachable/sync`)
        .send({});
      expect(failed.body.phase).toBe('Error');
      const refused = await request(server)
        .post(`${api}/unreachable/rollback`)
        .send({ operationId: failed.body.id });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/not a succeeded sync/);
      // A finished operation streams once and ends.
      const events = await request(server).get(
        `${api}/unreachable/operations/${failed.body.id}/events`,
      );
      expect(events.text).toContain('"phase":"Error"');
    } finally {
      await stop();
    }
  });

  describe('badge', () => {
    const app = {
      name: 'badged',
      source: { repoURL: 'https://git.invalid/x.git' },
      destination: { cluster: 'prod' },
    };

    it('needs sign-in unless badges are public', async () => {
      const { server, stop } = await startGitopsBackend({
        applications: [app],
      });
      try {
        const signedIn = await request(server)
          .get(`${api}/badged/badge`)
          .buffer(true)
          .parse(asText);
        expect(signedIn.status).toBe(200);
        expect(signedIn.headers['content-type']).toMatch(/image\/svg\+xml/);
        expect(signedIn.body).toContain('<svg');
        expect(signedIn.body).toContain('Unknown');
        const anonymous = await request(server)
          .get(`${api}/badged/badge`)
          .set('Authorization', mockCredentials.none.header());
        expect(anonymous.status).toBe(401);
      } finally {
        await stop();
      }
    });

    it('answers anonymous callers when badges are public, and only for known applications', async () => {
      const { server, stop } = await startGitopsBackend({
        applications: [app],
        publicBadges: true,
      });
      try {
        const anonymous = await request(server)
          .get(`${api}/badged/badge`)
          .set('Authorization', mockCredentials.none.header())
          .buffer(true)
          .parse(asText);
        expect(anonymous.status).toBe(200);
        expect(anonymous.body).toContain('aria-label="Unknown, Unknown"');
        const unknown = await request(server)
          .get(`${api}/nope/badge`)
          .set('Authorization', mockCredentials.none.header());
        expect(unknown.status).toBe(404);
        // Only the badge is public.
        const detail = await request(server)
          .get(`${api}/badged`)
          .set('Authorization', mockCredentials.none.header());
        expect(detail.status).toBe(401);
      } finally {
        await stop();
      }
    });
  });

  it('refuses each route without its permission', async () => {
    const { server, stop } = await startGitopsBackend({
      permission: AuthorizeResult.DENY,
      applications: [
        {
          name: 'denied',
          source: { repoURL: 'https://git.invalid/x.git' },
          destination: { cluster: 'prod' },
        },
      ],
    });
    try {
      for (const path of [
        '/denied',
        '/denied/diff',
        '/denied/operations/x/diff',
        '/denied/operations/x/events',
        '/denied/badge',
      ]) {
        expect([
          path,
          (await request(server).get(`${api}${path}`)).status,
        ]).toEqual([path, 403]);
      }
      const rollback = await request(server)
        .post(`${api}/denied/rollback`)
        .send({ operationId: 'x' });
      expect(rollback.status).toBe(403);
    } finally {
      await stop();
    }
  });
});
