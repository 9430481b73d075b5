import crypto from 'crypto';
import request from 'supertest';
import { installArgoCrds } from '../__testUtils__/argoCrds';
import {
  GitopsTestBackend,
  eventually,
  listedApplication,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';

// A backend on the real scheduler, Git, and the cluster's garbage collector.
jest.setTimeout(180_000);

// From Argo CD's guestbook example: a Deployment (whose ReplicaSet the
// garbage collector deletes with it) and a ConfigMap.
const guestbook = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook-ui
spec:
  replicas: 1
  selector:
    matchLabels: { app: guestbook-ui }
  template:
    metadata:
      labels: { app: guestbook-ui }
    spec:
      containers:
        - name: guestbook-ui
          image: gcr.io/heptio-images/ks-guestbook-demo:0.2
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-settings
data:
  colour: blue
`;
// Argo CD's user guide (resource hooks): a PostDelete Job.
const postDeleteHook = `apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
  annotations:
    argocd.argoproj.io/hook: PostDelete
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: cleanup
          image: busybox
          command: [sh, -c, 'echo cleaning up']
`;

// Keeps a deleted Application visible after our finalizers are gone, so the
// test can see what they left; removed at the end.
const HOLD = 'example.com/hold';

describe('finalizers of Application objects read from a cluster', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  const suffix = crypto.randomBytes(3).toString('hex');
  let git: TestGitServer;
  let repoURL: string;
  let argoNamespace: string;
  let backend: GitopsTestBackend;
  const namespaces: string[] = [];

  beforeAll(async () => {
    await installArgoCrds(cluster);
    argoNamespace = await createTestNamespace(cluster, 'argo-finalizers');
    git = await startGitServer();
    const repo = await createTestRepo(git, 'finalizers');
    await repo.commit({
      'guestbook/guestbook.yaml': guestbook,
      'with-hook/guestbook.yaml': guestbook,
      'with-hook/post-delete.yaml': postDeleteHook,
    });
    repoURL = repo.url;
    backend = await startGitopsTestBackend({
      realScheduler: true,
      gitops: {
        // The loop runs, so a deleted application still reconciled would
        // be self-healed back.
        reconcile: { enabled: true, watch: false, interval: { seconds: 1 } },
        argocd: {
          clusters: [{ cluster: 'test', namespace: argoNamespace }],
          cacheSeconds: 0,
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await git?.close();
    for (const namespace of [...namespaces, argoNamespace]) {
      await cluster.delete({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: namespace,
      });
    }
  });

  const appRef = (name: string) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    name,
    namespace: argoNamespace,
  });
  const resourcesOf = (namespace: string) => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'guestbook-ui',
      namespace,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'guestbook-settings',
      namespace,
    },
  ];
  const liveCount = async (namespace: string) =>
    (
      await Promise.all(resourcesOf(namespace).map(ref => cluster.get(ref)))
    ).filter(Boolean).length;

  /** An Application object, synced through the backend until Synced. */
  async function syncedApplication(
    name: string,
    finalizers: string[],
    path = 'guestbook',
  ): Promise<string> {
    const namespace = await createTestNamespace(cluster, 'argo-child');
    namespaces.push(namespace);
    await cluster.create({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: argoNamespace, finalizers },
      spec: {
        project: 'default',
        source: { repoURL, path, targetRevision: 'HEAD' },
        destination: { name: 'test', namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    await eventually(
      async () => (await listedApplication(backend.server, name)).app,
      `${name} to be listed`,
    );
    const started = await request(backend.server)
      .post(`/api/gitops/applications/${name}/sync`)
      .send({});
    // The loop's automated sync may have started first.
    expect([202, 409]).toContain(started.status);
    await eventually(
      async () => ((await liveCount(namespace)) === 2 ? true : undefined),
      `${name}'s resources to be synced`,
    );
    return namespace;
  }

  async function deleteApplication(name: string) {
    await cluster.delete(appRef(name), { propagationPolicy: 'Background' });
  }

  /** The object once it holds nothing but `HOLD`: our finalizers are done. */
  async function finalized(name: string): Promise<KubeObject> {
    return eventually(
      async () => {
        const object = await cluster.get(appRef(name));
        const finalizers = object?.metadata.finalizers as string[] | undefined;
        return finalizers?.length === 1 && finalizers[0] === HOLD
          ? object
          : undefined;
      },
      `${name}'s finalizers to be removed`,
      300,
    );
  }

  async function release(name: string) {
    const object = await cluster.get(appRef(name));
    if (!object) return;
    await cluster.setFinalizers(
      appRef(name),
      [],
      String(object.metadata.resourceVersion),
    );
    await eventually(
      async () => ((await cluster.get(appRef(name))) ? undefined : true),
      `${name} to be gone`,
    );
  }

  /**
   * The application is no longer served, and after several passes of the
   * loop (which would self-heal deleted resources back) `count` of its
   * resources are live.
   */
  async function expectNotReconciled(
    name: string,
    namespace: string,
    count: number,
  ) {
    const { app, problems } = await listedApplication(backend.server, name);
    expect(app).toBeUndefined();
    expect(problems).toContainEqual({
      origin: `gitops.argocd.clusters test/${argoNamespace}: Application/${name}`,
      message: `being deleted; finalizers: ${HOLD}`,
    });
    expect(
      (await request(backend.server).get(`/api/gitops/applications/${name}`))
        .status,
    ).toBe(404);
    await new Promise(resolve => setTimeout(resolve, 4000));
    expect(await liveCount(namespace)).toBe(count);
  }

  it.each([
    ['foreground (default)', 'resources-finalizer.argocd.argoproj.io'],
    ['foreground', 'resources-finalizer.argocd.argoproj.io/foreground'],
    ['background', 'resources-finalizer.argocd.argoproj.io/background'],
  ])(
    'deletes the resources, then removes the finalizer (%s)',
    async (_, finalizer) => {
      const name = `cascade-${finalizer.split('/')[1] ?? 'default'}-${suffix}`;
      const namespace = await syncedApplication(name, [finalizer, HOLD]);
      await deleteApplication(name);
      await finalized(name);
      // Foreground: the Deployment was gone, ReplicaSets with it, before
      // the finalizer went. Background: the deletes were issued and seen done.
      expect(await liveCount(namespace)).toBe(0);
      const replicaSets = finalizer.endsWith('/background')
        ? []
        : await cluster.list('apps/v1', 'ReplicaSet', { namespace });
      expect(replicaSets).toEqual([]);
      await expectNotReconciled(name, namespace, 0);
      await release(name);
    },
  );

  it('leaves the resources in place without the finalizer', async () => {
    const name = `orphan-${suffix}`;
    const namespace = await syncedApplication(name, [HOLD]);
    await deleteApplication(name);
    await eventually(
      async () =>
        (await listedApplication(backend.server, name)).app ? undefined : true,
      `${name} to leave the list`,
    );
    await expectNotReconciled(name, namespace, 2);
    await release(name);
    await new Promise(resolve => setTimeout(resolve, 3000));
    expect(await liveCount(namespace)).toBe(2);
  });

  it('runs the PostDelete hooks once the resources are gone, then removes the finalizer', async () => {
    const name = `post-delete-${suffix}`;
    const namespace = await syncedApplication(
      name,
      [
        'resources-finalizer.argocd.argoproj.io',
        'post-delete-finalizer.argocd.argoproj.io',
        HOLD,
      ],
      'with-hook',
    );
    const hookRef = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: 'cleanup',
      namespace,
    };
    // Never during a sync.
    expect(await cluster.get(hookRef)).toBeUndefined();
    await deleteApplication(name);
    await finalized(name);
    expect(await liveCount(namespace)).toBe(0);
    const hook = await cluster.get(hookRef);
    expect(hook?.status).toMatchObject({ succeeded: 1 });
    await expectNotReconciled(name, namespace, 0);
    await release(name);
  });
});
