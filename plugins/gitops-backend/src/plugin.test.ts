import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import request from 'supertest';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { Knex } from 'knex';
import { ApplicationStatusStore } from './database/ApplicationStatusStore';
import { ClusterClient } from './cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from './cluster/__testUtils__/testCluster';
import { gitopsPlugin } from './plugin';
import { startGitServer } from './repository/__testUtils__/gitServer';
import { createTestRepo } from './repository/__testUtils__/testRepo';

// Backends, Git servers and the test cluster: far slower than Jest's 5 s under load.
jest.setTimeout(90_000);

// The real catalog backend reads these entities from a file location, so the
// plugin is tested against the catalog it will meet in an app.
const entities = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
  annotations:
    gitops.backstage.io/repo-url: https://git.example.com/shop.git
    gitops.backstage.io/path: deploy/cart
    gitops.backstage.io/destination-namespace: shop
spec: { type: service, owner: team-a, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: broken
  annotations:
    gitops.backstage.io/repo-url: ext::sh -c evil
spec: { type: service, owner: team-a, lifecycle: production }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: plain
spec: { type: service, owner: team-a, lifecycle: production }
`;

async function startBackend(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    knex?: Knex;
    /** Extra `gitops.applications` entries, appended after the fixed ones. */
    applications?: object[];
    limits?: object;
  } = {},
) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-plugin-'));
  const file = path.join(dir, 'entities.yaml');
  await fs.writeFile(file, entities);
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      catalogPlugin,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            rules: [{ allow: ['Component'] }],
            locations: [{ type: 'file', target: file }],
          },
          gitops: {
            applications: [
              {
                name: 'payments',
                entityRefs: ['component:default/cart'],
                source: { repoURL: 'ssh://git@git.example.com/pay.git' },
                destination: { cluster: 'prod', namespace: 'pay' },
              },
              { name: 'Bad Name', source: { repoURL: 'https://x/y.git' } },
              ...(options.applications ?? []),
            ],
            allowHttpRepositories: true,
            cacheDir: path.join(dir, 'mirrors'),
            ...(options.limits ? { limits: options.limits } : {}),
            // Refreshes are driven by the tests; the loop is the scheduler's.
            reconcile: { enabled: false },
            clusters: process.env.GITOPS_TEST_KUBECONFIG
              ? [
                  {
                    name: 'test',
                    kubeconfigPath: process.env.GITOPS_TEST_KUBECONFIG,
                  },
                ]
              : [],
          },
        },
      }),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
    ],
  });
  return { server: backend.server, stop: () => backend.stop(), dir };
}

async function waitForCatalog(server: Parameters<typeof request>[0]) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await request(server).get(
      '/api/catalog/entities/by-name/component/default/broken',
    );
    if (res.status === 200) return;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error('catalog never ingested the test entities');
}

// Shared with the catalog here, which proves our migrations keep to themselves.
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('gitops backend plugin', () => {
  it('lists applications from catalog annotations and app-config, with problems in words', async () => {
    const { server, stop, dir } = await startBackend();
    try {
      await waitForCatalog(server);
      const res = await request(server).get('/api/gitops/applications');
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        {
          name: 'cart',
          origin: 'catalog',
          entityRefs: ['component:default/cart'],
          source: {
            repoURL: 'https://git.example.com/shop.git',
            path: 'deploy/cart',
            targetRevision: 'HEAD',
          },
          destination: { cluster: 'in-cluster', namespace: 'shop' },
        },
        {
          name: 'payments',
          origin: 'config',
          entityRefs: ['component:default/cart'],
          source: {
            repoURL: 'ssh://git@git.example.com/pay.git',
            path: '',
            targetRevision: 'HEAD',
          },
          destination: { cluster: 'prod', namespace: 'pay' },
        },
      ]);
      expect(res.body.totalItems).toBe(2);
      expect(res.body.problems).toEqual(
        expect.arrayContaining([
          {
            origin: 'component:default/broken',
            message: expect.stringContaining('remote helper'),
          },
          {
            origin: 'app-config gitops.applications[1]',
            message:
              'application name "Bad Name" is not a valid Kubernetes name',
          },
        ]),
      );
    } finally {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('filters by entity ref, case-insensitively, and paginates', async () => {
    const { server, stop, dir } = await startBackend();
    try {
      await waitForCatalog(server);
      const page = await request(server)
        .get('/api/gitops/applications')
        .query({ entityRef: 'Component:default/Cart', limit: 1, offset: 1 });
      expect(page.status).toBe(200);
      expect(page.body.totalItems).toBe(2);
      expect(page.body.items.map((a: { name: string }) => a.name)).toEqual([
        'payments',
      ]);

      const none = await request(server)
        .get('/api/gitops/applications')
        .query({ entityRef: 'component:default/plain' });
      expect(none.body).toMatchObject({ items: [], totalItems: 0 });
    } finally {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a malformed query with 400', async () => {
    const { server, stop, dir } = await startBackend();
    try {
      const res = await request(server)
        .get('/api/gitops/applications')
        .query({ limit: 'lots' });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      const badRef = await request(server)
        .get('/api/gitops/applications')
        .query({ entityRef: 'cart' }); // no kind
      expect(badRef.status).toBe(400);
    } finally {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses callers without the read permission, and anonymous ones', async () => {
    const { server, stop, dir } = await startBackend({
      permission: AuthorizeResult.DENY,
    });
    try {
      const denied = await request(server).get('/api/gitops/applications');
      expect(denied.status).toBe(403);
      const anonymous = await request(server)
        .get('/api/gitops/applications')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    } finally {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('reports the stored status of reconciled applications', async () => {
    // The database behaviour itself is proven on SQLite and PostgreSQL in
    // ApplicationStatusStore.test.ts; here only the wiring is at stake.
    const knex = await sqlite.init('SQLITE_3');
    const store = await ApplicationStatusStore.create({
      database: mockServices.database({ knex }),
    });
    await store.writeStatus('payments', {
      sync: 'OutOfSync',
      health: 'Degraded',
      revision: 'c'.repeat(40),
      reconciledAt: '2026-11-25T10:00:00.000Z',
    });
    const { server, stop, dir } = await startBackend({ knex });
    try {
      await waitForCatalog(server);
      const res = await request(server).get('/api/gitops/applications');
      const byName = Object.fromEntries(
        res.body.items.map((a: { name: string }) => [a.name, a]),
      );
      expect(byName.payments.status).toEqual({
        sync: 'OutOfSync',
        health: 'Degraded',
        revision: 'c'.repeat(40),
        reconciledAt: '2026-11-25T10:00:00.000Z',
        conditions: [],
      });
      expect(byName.cart.status).toBeUndefined();
    } finally {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  describe('POST /applications/:name/refresh', () => {
    it('compares an application with Git and the cluster and stores the result', async () => {
      const git = await startGitServer();
      const repo = await createTestRepo(git, 'shop');
      const sha = await repo.commit({
        'deploy/settings.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
      });
      const { server, stop, dir } = await startBackend({
        applications: [
          {
            name: 'shop',
            source: { repoURL: repo.url, path: 'deploy' },
            destination: { cluster: 'test', namespace: 'default' },
          },
        ],
      });
      try {
        const res = await request(server).post(
          '/api/gitops/applications/shop/refresh',
        );
        expect(res.status).toBe(200);
        expect(res.body.status).toMatchObject({
          sync: 'OutOfSync',
          health: 'Missing',
          revision: sha,
          conditions: [],
        });
        const listed = await request(server).get('/api/gitops/applications');
        const shop = listed.body.items.find(
          (a: { name: string }) => a.name === 'shop',
        );
        expect(shop.status).toEqual(res.body.status);
      } finally {
        await stop();
        await git.close();
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('refuses a repository over the configured size, naming the application', async () => {
      const git = await startGitServer();
      const repo = await createTestRepo(git, 'big');
      await repo.commit({ 'deploy/big.yaml': `# ${'x'.repeat(4000)}\n` });
      const { server, stop, dir } = await startBackend({
        limits: { maxRepositoryBytes: 1000 },
        applications: [
          {
            name: 'big',
            source: { repoURL: repo.url, path: 'deploy' },
            destination: { cluster: 'test', namespace: 'default' },
          },
        ],
      });
      try {
        const res = await request(server).post(
          '/api/gitops/applications/big/refresh',
        );
        expect(res.status).toBe(200);
        expect(res.body.status.sync).toBe('Unknown');
        expect(res.body.status.conditions).toEqual([
          {
            type: 'ComparisonError',
            message: expect.stringMatching(/big.*1000|1000.*big/s),
          },
        ]);
      } finally {
        await stop();
        await git.close();
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('turns an undeclared destination cluster into a condition, in words', async () => {
      const { server, stop, dir } = await startBackend();
      try {
        const res = await request(server).post(
          '/api/gitops/applications/payments/refresh',
        );
        expect(res.status).toBe(200);
        expect(res.body.status).toMatchObject({
          sync: 'Unknown',
          health: 'Unknown',
          conditions: [
            {
              type: 'InvalidSpecError',
              message:
                'destination cluster "prod" is not declared in gitops.clusters',
            },
          ],
        });
      } finally {
        await stop();
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('answers 404 for an unknown application and 403 without permission', async () => {
      const allowed = await startBackend();
      try {
        const res = await request(allowed.server).post(
          '/api/gitops/applications/nope/refresh',
        );
        expect(res.status).toBe(404);
      } finally {
        await allowed.stop();
        await fs.rm(allowed.dir, { recursive: true, force: true });
      }
      const denied = await startBackend({ permission: AuthorizeResult.DENY });
      try {
        const res = await request(denied.server).post(
          '/api/gitops/applications/payments/refresh',
        );
        expect(res.status).toBe(403);
      } finally {
        await denied.stop();
        await fs.rm(denied.dir, { recursive: true, force: true });
      }
    });
  });

  describe('syncing through the API', () => {
    it('syncs, records the operation with its results, and refreshes the status', async () => {
      const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
      const namespace = await createTestNamespace(cluster, 'plugin-sync');
      const git = await startGitServer();
      const repo = await createTestRepo(git, 'synced');
      const sha = await repo.commit({
        'deploy/settings.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
      });
      const { server, stop, dir } = await startBackend({
        applications: [
          {
            name: 'synced',
            source: { repoURL: repo.url, path: 'deploy' },
            destination: { cluster: 'test', namespace },
          },
        ],
      });
      try {
        const invalid = await request(server)
          .post('/api/gitops/applications/synced/sync')
          .send({ prune: 'yes' });
        expect(invalid.status).toBe(400);

        const started = await request(server)
          .post('/api/gitops/applications/synced/sync')
          .send({ prune: true });
        expect(started.status).toBe(202);
        expect(started.body).toMatchObject({
          application: 'synced',
          phase: 'Running',
          revision: sha,
          dryRun: false,
          initiatedBy: 'user:default/mock',
        });

        let operation = started.body;
        for (let i = 0; i < 100 && operation.phase === 'Running'; i++) {
          await new Promise(resolve => setTimeout(resolve, 200));
          operation = (
            await request(server).get(
              `/api/gitops/applications/synced/operations/${started.body.id}`,
            )
          ).body;
        }
        expect(operation.phase).toBe('Succeeded');
        expect(operation.tasks).toEqual([
          expect.objectContaining({
            kind: 'ConfigMap',
            name: 'settings',
            namespace,
            status: 'Synced',
          }),
        ]);
        expect(JSON.stringify(operation)).not.toContain('manifest');

        const live = await cluster.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'settings',
          namespace,
        });
        expect(live?.data).toEqual({ a: '1' });

        let status;
        for (let i = 0; i < 50 && status?.sync !== 'Synced'; i++) {
          const listed = await request(server).get('/api/gitops/applications');
          status = listed.body.items.find(
            (a: { name: string }) => a.name === 'synced',
          ).status;
          if (status?.sync !== 'Synced') {
            await new Promise(resolve => setTimeout(resolve, 200));
          }
        }
        expect(status).toMatchObject({ sync: 'Synced', health: 'Healthy' });

        const history = await request(server).get(
          '/api/gitops/applications/synced/operations',
        );
        expect(history.body.totalItems).toBe(1);
        const terminate = await request(server).post(
          `/api/gitops/applications/synced/operations/${started.body.id}/terminate`,
        );
        expect(terminate.status).toBe(409);
      } finally {
        await stop();
        await git.close();
        await cluster.delete({
          apiVersion: 'v1',
          kind: 'Namespace',
          name: namespace,
        });
        await fs.rm(dir, { recursive: true, force: true });
      }
    });

    it('records a sync that cannot start as an operation in Error, with the reason', async () => {
      const { server, stop, dir } = await startBackend();
      try {
        const res = await request(server)
          .post('/api/gitops/applications/payments/sync')
          .send({});
        expect(res.status).toBe(202);
        expect(res.body).toMatchObject({
          phase: 'Error',
          message:
            'destination cluster "prod" is not declared in gitops.clusters',
        });
        const denied = await startBackend({ permission: AuthorizeResult.DENY });
        try {
          const refused = await request(denied.server)
            .post('/api/gitops/applications/payments/sync')
            .send({});
          expect(refused.status).toBe(403);
        } finally {
          await denied.stop();
          await fs.rm(denied.dir, { recursive: true, force: true });
        }
      } finally {
        await stop();
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('automated sync', () => {
    async function waitForStatus(
      server: Parameters<typeof request>[0],
      name: string,
      sync: string,
    ) {
      let status: { sync: string } | undefined;
      for (let i = 0; i < 100 && status?.sync !== sync; i++) {
        const listed = await request(server).get('/api/gitops/applications');
        status = listed.body.items.find(
          (a: { name: string }) => a.name === name,
        )?.status;
        if (status?.sync !== sync) {
          await new Promise(resolve => setTimeout(resolve, 200));
        }
      }
      return status;
    }

    it('syncs a new revision by itself, and undoes drift only with selfHeal', async () => {
      const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
      const namespace = await createTestNamespace(cluster, 'auto-sync');
      const git = await startGitServer();
      const repo = await createTestRepo(git, 'auto');
      const configMap = (name: string) =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  color: blue\n`;
      await repo.commit({
        'healing/cm.yaml': configMap('healing'),
        'plain/cm.yaml': configMap('plain'),
      });
      const app = (name: string, selfHeal: boolean) => ({
        name,
        source: { repoURL: repo.url, path: name },
        destination: { cluster: 'test', namespace },
        syncPolicy: { automated: { selfHeal } },
      });
      const { server, stop, dir } = await startBackend({
        applications: [app('healing', true), app('plain', false)],
      });
      const drift = (name: string) =>
        cluster.apply({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace },
          data: { color: 'red' },
        });
      try {
        for (const name of ['healing', 'plain']) {
          await request(server).post(
            `/api/gitops/applications/${name}/refresh`,
          );
          expect(await waitForStatus(server, name, 'Synced')).toMatchObject({
            sync: 'Synced',
          });
          const ops = await request(server).get(
            `/api/gitops/applications/${name}/operations`,
          );
          expect(ops.body.items[0]).toMatchObject({
            initiatedBy: 'automated',
            phase: 'Succeeded',
          });
        }

        await drift('healing');
        await drift('plain');
        await request(server).post('/api/gitops/applications/healing/refresh');
        await request(server).post('/api/gitops/applications/plain/refresh');
        expect(await waitForStatus(server, 'healing', 'Synced')).toMatchObject({
          sync: 'Synced',
        });
        const healed = await cluster.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'healing',
          namespace,
        });
        expect(healed?.data).toEqual({ color: 'blue' });
        // Without selfHeal the same revision is not synced again.
        const plain = await request(server).get(
          '/api/gitops/applications/plain/operations',
        );
        expect(plain.body.totalItems).toBe(1);
        expect((await waitForStatus(server, 'plain', 'OutOfSync'))?.sync).toBe(
          'OutOfSync',
        );
      } finally {
        await stop();
        await git.close();
        await cluster.delete({
          apiVersion: 'v1',
          kind: 'Namespace',
          name: namespace,
        });
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });
});
