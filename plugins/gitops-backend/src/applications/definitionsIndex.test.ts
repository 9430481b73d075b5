import { createHmac } from 'node:crypto';
import fs from 'fs/promises';
import request from 'supertest';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { installArgoCrds } from '../__testUtils__/argoCrds';
import {
  GitopsTestBackend,
  eventually,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { catalogRequestCounter } from './__testUtils__/catalogRequestCounter';

jest.setTimeout(180_000);

const api = '/api/gitops/applications';
const SECRET = 'index-s3cret';
const sign = (body: string) =>
  `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

const component = (name: string, annotations: Record<string, string>) => `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
spec: { type: service, owner: team-a, lifecycle: production }
`;

/** Polls a detail until `accept` takes it; an unknown name is a 404. */
function detailOf(
  server: GitopsTestBackend['server'],
  name: string,
  accept: (body: any) => boolean = () => true,
) {
  return eventually(async () => {
    const res = await request(server).get(`${api}/${name}`);
    return res.status === 200 && accept(res.body) ? res.body : undefined;
  }, `application ${name}`);
}

describe('the definitions index', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  let git: Awaited<ReturnType<typeof startGitServer>>;
  let repoURL: string;
  let namespace: string;

  beforeAll(async () => {
    git = await startGitServer();
    namespace = await createTestNamespace(cluster, 'defindex');
    const repo = await createTestRepo(git, 'indexed');
    repoURL = repo.url;
    await repo.commit({
      'shop/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n',
      'cart/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cart\n',
    });
  });
  afterAll(async () => {
    await git?.close();
  });

  const described = (name: string, path = name) =>
    component(name, {
      'gitops.backstage.io/repo-url': repoURL,
      'gitops.backstage.io/path': path,
      'gitops.backstage.io/destination-cluster': 'test',
      'gitops.backstage.io/destination-namespace': namespace,
    });

  it('answers lists, details, refreshes and webhooks from memory: no catalog read per call', async () => {
    const counter = catalogRequestCounter();
    const backend = await startGitopsTestBackend({
      entities: `${described('idx-shop', 'shop')}---${described(
        'idx-cart',
        'cart',
      )}`,
      // Only the reads this test makes: no periodic one during it.
      gitops: {
        definitions: { catalogRefreshSeconds: 3600 },
        webhooks: { github: { secret: SECRET } },
      },
      features: [counter.module],
    });
    try {
      // Not known until the catalog has processed the file: each miss
      // reads the catalog again, so the names appear without a period.
      await detailOf(backend.server, 'idx-shop');
      await detailOf(backend.server, 'idx-cart');
      const before = counter.entityReads();
      expect(before).toBeGreaterThan(0);

      const body = JSON.stringify({
        ref: 'refs/heads/main',
        repository: { clone_url: repoURL, default_branch: 'main' },
        commits: [{ added: [], modified: ['shop/cm.yaml'], removed: [] }],
      });
      for (let i = 0; i < 5; i++) {
        const list = await request(backend.server).get(api);
        expect(list.body.items.map((a: { name: string }) => a.name)).toEqual(
          expect.arrayContaining(['idx-cart', 'idx-shop']),
        );
        expect(
          (await request(backend.server).get(`${api}/idx-shop`)).status,
        ).toBe(200);
        const refreshed = await request(backend.server)
          .post(`${api}/idx-cart/refresh`)
          .send({});
        expect(refreshed.status).toBe(200);
        const hook = await request(backend.server)
          .post('/api/gitops/webhook')
          .set('Content-Type', 'application/json')
          .set('X-GitHub-Event', 'push')
          .set('X-Hub-Signature-256', sign(body))
          .send(body);
        expect(hook.status).toBe(202);
        expect(hook.body.refreshed).toEqual(['idx-shop']);
      }
      expect(counter.entityReads()).toBe(before);
    } finally {
      await backend.stop();
    }
  });

  it('sees a changed entity at the next periodic read, and an entity registered later at once on its refresh', async () => {
    const backend = await startGitopsTestBackend({
      entities: described('idx-web', 'shop'),
      catalog: { processingInterval: { seconds: 1 } },
      gitops: { definitions: { catalogRefreshSeconds: 1 } },
    });
    try {
      const first = await detailOf(backend.server, 'idx-web');
      expect(first.source.path).toBe('shop');
      await fs.writeFile(
        backend.entitiesFile,
        `${described('idx-web', 'cart')}---${described('idx-late', 'cart')}`,
      );
      // Nobody asks for idx-web by a missing name: only the period reads.
      const changed = await eventually(async () => {
        const res = await request(backend.server).get(api);
        const web = res.body.items.find(
          (a: { name: string }) => a.name === 'idx-web',
        );
        return web?.source.path === 'cart' ? web : undefined;
      }, 'the changed path of idx-web');
      expect(changed.destination).toEqual({ cluster: 'test', namespace });
      const late = await eventually(async () => {
        const res = await request(backend.server)
          .post(`${api}/idx-late/refresh`)
          .send({});
        return res.status === 200 ? res.body : undefined;
      }, 'a refresh of idx-late');
      expect(late.name).toBe('idx-late');
    } finally {
      await backend.stop();
    }
  });

  it("lists an entity registered after the last read on that entity's tab at once", async () => {
    const backend = await startGitopsTestBackend({
      entities: described('idx-first', 'shop'),
      catalog: { processingInterval: { seconds: 1 } },
      // No periodic read during the test: only the tab's question reads.
      gitops: { definitions: { catalogRefreshSeconds: 3600 } },
    });
    try {
      await detailOf(backend.server, 'idx-first');
      await fs.writeFile(
        backend.entitiesFile,
        `${described('idx-first', 'shop')}---${described('idx-tab', 'cart')}`,
      );
      // Once the catalog has the entity, its GitOps tab asks for it.
      await eventually(async () => {
        const res = await request(backend.server).get(
          '/api/catalog/entities/by-name/component/default/idx-tab',
        );
        return res.status === 200 ? true : undefined;
      }, 'the catalog to have idx-tab');
      const res = await request(backend.server).get(
        `${api}?entityRef=component:default/idx-tab`,
      );
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: { name: string }) => a.name)).toEqual([
        'idx-tab',
      ]);
    } finally {
      await backend.stop();
    }
  });

  it('sees a change to one Application object of a cluster namespace by its watch, and refreshes that application only', async () => {
    await installArgoCrds(cluster);
    const argoNamespace = await createTestNamespace(cluster, 'defindex-argo');
    const argoApp = (name: string, path: string) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: argoNamespace },
      spec: {
        source: { repoURL, path, targetRevision: 'HEAD' },
        destination: { name: 'test', namespace },
      },
    });
    await cluster.apply(argoApp('idx-watched', 'shop'));
    await cluster.apply(argoApp('idx-untouched', 'cart'));
    const backend = await startGitopsTestBackend({
      gitops: {
        // An hour between reads: only the watch can tell of the change.
        argocd: {
          clusters: [{ cluster: 'test', namespace: argoNamespace }],
          cacheSeconds: 3600,
        },
        // The loop on, with a pass only at start (the test scheduler runs
        // each task once): later refreshes come from changed definitions.
        reconcile: { enabled: true, interval: { hours: 1 } },
      },
    });
    try {
      const watched = await detailOf(
        backend.server,
        'idx-watched',
        b => b.status,
      );
      const untouched = await detailOf(
        backend.server,
        'idx-untouched',
        b => b.status,
      );
      await cluster.apply(argoApp('idx-watched', 'cart'));

      const changed = await detailOf(
        backend.server,
        'idx-watched',
        b =>
          b.source.path === 'cart' &&
          b.status.reconciledAt !== watched.status.reconciledAt,
      );
      expect(changed.source.path).toBe('cart');
      const other = await request(backend.server).get(`${api}/idx-untouched`);
      expect(other.body.status.reconciledAt).toBe(
        untouched.status.reconciledAt,
      );

      // A deleted object leaves the definitions by its watch event too.
      await cluster.delete({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        name: 'idx-untouched',
        namespace: argoNamespace,
      });
      await eventually(async () => {
        const res = await request(backend.server).get(api);
        const names = res.body.items.map((a: { name: string }) => a.name);
        return names.includes('idx-untouched') ? undefined : names;
      }, 'idx-untouched to leave the list');
    } finally {
      await backend.stop();
    }
  });
});
