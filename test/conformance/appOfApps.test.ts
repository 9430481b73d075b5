import { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { testKubeConfig } from '../src/cluster/testNamespace';
import {
  GitRepoServer,
  startGitRepoServer,
} from '../src/e2e/lib/gitRepoServer';
import { GitopsApi, gitopsApi } from './__testUtils__/api';
import {
  installArgoCrds,
  readApplication,
} from './__testUtils__/argoApplications';
import {
  applicationYaml,
  startConformanceBackend,
} from './__testUtils__/conformanceBackend';
import { readManifests } from './__testUtils__/fixtures';
import {
  createNamespace,
  deleteNamespace,
  liveObjects,
} from './__testUtils__/liveObjects';

// The real scheduler, the reconcile loop and the cluster's garbage collector.
jest.setTimeout(300_000);

const FIXTURE = path.join(__dirname, 'fixtures', 'app-of-apps');
type Child = {
  name: string;
  application: 'deleted' | 'kept';
  resources: 'deleted' | 'kept';
};
const { behaviour, expect: want } = parse(
  fs.readFileSync(path.join(FIXTURE, 'fixture.yaml'), 'utf8'),
) as { behaviour: string; expect: { children: Child[] } };

const run = crypto.randomBytes(3).toString('hex');
const kc = testKubeConfig();
const argoNamespace = `conformance-argo-${run}`;
const parent = `example.parent-${run}`;
const parentPath = `manifests/${parent}/apps`;
const guestbookPath = `manifests/${parent}/guestbook`;
const children = want.children.map(c => ({
  ...c,
  app: `${c.name}-${run}`,
  namespace: `${c.name.replace(/\./g, '-')}-${run}`,
}));
const GUESTBOOK = [
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
];

const liveGuestbook = async (namespace: string) =>
  (await liveObjects(kc, namespace, GUESTBOOK)).map(o => o.id);

/** Polls `probe` for up to two minutes; a timeout tells what it saw last. */
async function eventually<T>(
  probe: () => Promise<{ done: T | undefined; seen?: unknown }>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { done, seen } = await probe();
    if (done !== undefined) return done;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(seen)}`);
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
}

/** The fixture's files of one folder, the run's names put in, under `to`. */
function folder(name: string, to: string, repoURL: string) {
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(
    readManifests(path.join(FIXTURE, name)),
  )) {
    files[`${to}/${file}`] = text
      .replace(/\$RUN/g, run)
      .replace(/\$REPO/g, repoURL)
      .replace(/\$GUESTBOOK/g, guestbookPath)
      .replace(/\$ARGO_NAMESPACE/g, argoNamespace);
  }
  return files;
}

describe(`Argo CD conformance: app of apps (${behaviour})`, () => {
  let repo: GitRepoServer;
  let api: GitopsApi;
  let stop = async () => {};

  beforeAll(async () => {
    await installArgoCrds(kc);
    await createNamespace(kc, argoNamespace);
    for (const c of children) await createNamespace(kc, c.namespace);
    repo = await startGitRepoServer();
    await repo.commit(
      {
        [`apps/${parent}.yaml`]: applicationYaml(
          {
            name: parent,
            namespace: argoNamespace,
            path: parentPath,
            syncPolicy: {},
          },
          repo.url,
        ),
        ...folder('manifests', parentPath, repo.url),
        ...folder('guestbook', guestbookPath, repo.url),
      },
      'app of apps',
    );
    const backend = await startConformanceBackend(repo, {
      argoNamespace,
      argocdCacheSeconds: 0,
    });
    stop = backend.stop;
    api = gitopsApi(backend.server);
  });

  afterAll(async () => {
    await stop();
    await repo?.stop();
    for (const namespace of [argoNamespace, ...children.map(c => c.namespace)])
      await deleteNamespace(kc, namespace);
  });

  async function syncParent(body: Record<string, unknown> = {}) {
    const op = await api.finished(parent, (await api.sync(parent, body)).id);
    expect({ parentSync: op.phase, message: op.message }).toEqual({
      parentSync: 'Succeeded',
      message: op.message,
    });
    return op;
  }

  const applicationVersions = async () =>
    Promise.all(
      children.map(
        async c =>
          (await readApplication(kc, argoNamespace, c.app))?.metadata
            ?.resourceVersion,
      ),
    );

  /** The loop reads the child from the cluster; its automated policy syncs it. */
  function childSynced(app: string) {
    return eventually(async () => {
      const { items, problems } = await api.list();
      const listed = items.find(a => a.name === app);
      return {
        done: listed?.status?.sync === 'Synced' ? true : undefined,
        seen: listed?.status ?? problems,
      };
    }, `${app} to be Synced`);
  }

  /** Once the object is gone, what of its resources is live. */
  async function liveWhenGone(app: string, namespace: string) {
    await eventually(async () => {
      const object = await readApplication(kc, argoNamespace, app);
      return { done: object ? undefined : true, seen: object?.metadata };
    }, `${app} to be gone`);
    return { child: app, live: await liveGuestbook(namespace) };
  }

  it('the parent syncs its children, each child its own resources', async () => {
    const op = await syncParent();
    for (const c of children) {
      expect(op.tasks).toContainEqual(
        expect.objectContaining({
          kind: 'Application',
          name: c.app,
          status: 'Synced',
        }),
      );
    }
    for (const c of children) {
      await childSynced(c.app);
      expect(await liveGuestbook(c.namespace)).toEqual([
        'ConfigMap/guestbook-settings',
        'Deployment/guestbook-ui',
      ]);
    }
    // The suite's invariant, for the parent.
    expect((await api.refresh(parent)).sync).toBe('Synced');
    const before = await applicationVersions();
    await syncParent();
    expect(await applicationVersions()).toEqual(before);
  });

  it('a child pruned from the parent is deleted, its finalizer cascading to its resources', async () => {
    await repo.commit(
      {
        [parentPath]: null,
        ...folder('after', parentPath, repo.url),
      },
      'remove children',
    );
    const removed = children.filter(c => c.application === 'deleted');
    await api.refresh(parent);
    const detail = await api.application(parent);
    expect({
      sync: detail.status?.sync,
      requiresPruning: detail.resources
        .filter(r => r.requiresPruning)
        .map(r => r.name)
        .sort(),
    }).toEqual({
      sync: 'OutOfSync',
      requiresPruning: removed.map(c => c.app).sort(),
    });
    const op = await syncParent({ prune: true });
    for (const c of removed) {
      expect(op.tasks).toContainEqual(
        expect.objectContaining({
          kind: 'Application',
          name: c.app,
          status: 'Pruned',
        }),
      );
    }
    // A finalizer goes last: its resources were gone by then.
    const cascaded = removed.filter(c => c.resources === 'deleted');
    const whenGone = [];
    for (const c of cascaded)
      whenGone.push(await liveWhenGone(c.app, c.namespace));
    expect(whenGone).toEqual(cascaded.map(c => ({ child: c.app, live: [] })));
    // Several passes of the loop later, nothing came back or went.
    await new Promise(resolve => setTimeout(resolve, 4000));
    for (const c of children) {
      const app = await readApplication(kc, argoNamespace, c.app);
      expect({
        child: c.app,
        application:
          app && !app.metadata?.deletionTimestamp ? 'kept' : 'deleted',
        live: await liveGuestbook(c.namespace),
      }).toEqual({
        child: c.app,
        application: c.application,
        live:
          c.resources === 'kept'
            ? ['ConfigMap/guestbook-settings', 'Deployment/guestbook-ui']
            : [],
      });
    }
    // Foreground: the Deployment's ReplicaSets went before the Deployment.
    const foreground = children.find(c => c.name === 'example.foreground')!;
    const replicaSets = await KubernetesObjectApi.makeApiClient(
      kc,
    ).list<KubernetesObject>('apps/v1', 'ReplicaSet', foreground.namespace);
    expect(replicaSets.items.map(rs => rs.metadata?.name)).toEqual([]);
    await api.refresh(parent);
    expect((await api.application(parent)).status?.sync).toBe('Synced');
  });
});
