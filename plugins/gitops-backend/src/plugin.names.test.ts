import { TRACKING_ID_ANNOTATION } from '@backstage-gitops/plugin-gitops-common';
import crypto from 'crypto';
import request from 'supertest';
import {
  GitopsTestBackend,
  eventually,
  listedApplication,
  startGitopsTestBackend,
} from './__testUtils__/gitopsTestBackend';
import { ClusterClient } from './cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from './cluster/__testUtils__/testCluster';
import { createTestDatabases } from './database/__testUtils__/testDatabases';
import {
  TestGitServer,
  startGitServer,
} from './repository/__testUtils__/gitServer';
import { createTestRepo } from './repository/__testUtils__/testRepo';

// A backend, Git and the cluster, under a loaded machine.
jest.setTimeout(180_000);

// PostgreSQL, because SQLite ignores column lengths: a 200-character name
// must fit every key column, as it would in production.
const databases = createTestDatabases();
const postgres = databases
  .eachSupportedId()
  .map(([id]) => id)
  .find(id => id.startsWith('POSTGRES'))!;

// Tracking ids are cluster-wide by application name, so each run has its own.
const suffix = crypto.randomBytes(3).toString('hex');
// An app of apps' children are named like this in Argo CD's own examples.
const dotted = `example.guestbook-${suffix}`;
// A DNS-1123 subdomain of 200 characters: labels of at most 63, joined by dots.
const long = [
  `names-${suffix}`,
  'a'.repeat(63),
  'b'.repeat(63),
  'c'.repeat(200 - 63 - 63 - `names-${suffix}`.length - 3),
].join('.');

const settings = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
`;

describe('applications named with dots and 200 characters', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  let git: TestGitServer;
  let backend: GitopsTestBackend;
  const namespaces: Record<string, string> = {};

  beforeAll(async () => {
    if (long.length !== 200) throw new Error(`long name is ${long.length}`);
    git = await startGitServer();
    const repo = await createTestRepo(git, 'names');
    await repo.commit({ 'deploy/settings.yaml': settings });
    for (const name of [dotted, long]) {
      namespaces[name] = await createTestNamespace(cluster, 'names');
    }
    backend = await startGitopsTestBackend({
      knex: await databases.init(postgres),
      gitops: {
        applications: [dotted, long].map(name => ({
          name,
          source: { repoURL: repo.url, path: 'deploy' },
          destination: { cluster: 'test', namespace: namespaces[name] },
        })),
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await git?.close();
    for (const namespace of Object.values(namespaces)) {
      await cluster.delete({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: namespace,
      });
    }
  });

  it.each([
    ['dotted', dotted],
    ['200-character', long],
  ])(
    'accepts a %s name, and serves, refreshes, syncs, tracks and badges it',
    async (_, name) => {
      const { server } = backend;
      const api = `/api/gitops/applications/${name}`;
      const namespace = namespaces[name];

      const { app, problems } = await listedApplication(server, name);
      expect(app).toMatchObject({ name, origin: 'config' });
      expect(problems ?? []).toEqual([]);

      const got = await request(server).get(api);
      expect(got.status).toBe(200);
      expect(got.body.name).toBe(name);

      const refreshed = await request(server).post(`${api}/refresh`);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.status).toMatchObject({ sync: 'OutOfSync' });

      const started = await request(server).post(`${api}/sync`).send({});
      expect(started.status).toBe(202);
      expect(started.body.application).toBe(name);
      const operation = await eventually(async () => {
        const res = await request(server).get(
          `${api}/operations/${started.body.id}`,
        );
        return res.body.phase === 'Running' ? undefined : res.body;
      }, 'the sync to end');
      expect(operation).toMatchObject({ phase: 'Succeeded' });

      const live = await cluster.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'settings',
        namespace,
      });
      const annotations = live?.metadata.annotations as Record<string, string>;
      expect(annotations[TRACKING_ID_ANNOTATION]).toBe(
        `${name}:/ConfigMap:${namespace}/settings`,
      );

      // The id is read back: the object counts as the application's own.
      const after = await request(server).post(`${api}/refresh`);
      expect(after.body.status).toMatchObject({
        sync: 'Synced',
        health: 'Healthy',
      });
      const detail = await request(server).get(api);
      expect(detail.body.status).toMatchObject({ sync: 'Synced' });
      expect(detail.body.resources).toEqual([
        expect.objectContaining({
          kind: 'ConfigMap',
          name: 'settings',
          namespace,
        }),
      ]);

      const history = await request(server).get(`${api}/operations`);
      expect(history.body.totalItems).toBe(1);

      const badge = await request(server).get(`${api}/badge`);
      expect(badge.status).toBe(200);
      expect(badge.type).toBe('image/svg+xml');
      expect(badge.body.toString()).toContain('aria-label="Synced, Healthy"');
    },
  );
});
