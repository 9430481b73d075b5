import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { ClusterClient, ObjectRef } from '../cluster/ClusterClient';
import { testKubeConfig } from '../cluster/__testUtils__/testCluster';
import {
  RepositoryService,
  createGitMirrors,
  createRepositoryService,
} from '../repository';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { TestRepo, createTestRepo } from '../repository/__testUtils__/testRepo';
import {
  configMap,
  deployment,
  eventually,
  yaml,
} from '../__testUtils__/manifests';
import { compareApplication } from '../compare/compareApplication';
import { syncApplication } from './syncApplication';
import { syncSettingsOf } from './syncSettings';

jest.setTimeout(180_000);

// Argo CD's hook annotations, as its user guide writes them.
const hookJob = (name: string, deletePolicy: string) =>
  yaml({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      annotations: {
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': deletePolicy,
      },
    },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'busybox:1.36' }],
        },
      },
    },
  });

describe('a second sync with no Git change writes nothing', () => {
  let server: TestGitServer;
  let repo: TestRepo;
  let cacheDir: string;
  let repository: RepositoryService;
  let cluster: ClusterClient;
  let namespace: string;
  let app: ApplicationDefinition;

  const sync = async () =>
    syncApplication({
      app,
      comparison: await compareApplication({ app, cluster, repository }),
      cluster,
      options: syncSettingsOf(app),
      initiatedBy: 'user:default/tester',
      pollIntervalMs: 200,
    });

  /** Every object of the application that outlives a sync, by its key. */
  const objects = (): ObjectRef[] => [
    { apiVersion: 'v1', kind: 'Namespace', name: namespace },
    { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'settings' },
    { apiVersion: 'apps/v1', kind: 'Deployment', namespace, name: 'web' },
    // HookFailed only: a hook that succeeded stays and is not run again.
    { apiVersion: 'batch/v1', kind: 'Job', namespace, name: 'kept-hook' },
  ];
  const versions = async () => {
    const result: Record<string, unknown> = {};
    for (const ref of objects()) {
      const live = await cluster.get(ref);
      result[`${ref.kind}/${ref.name}`] = live?.metadata.resourceVersion;
    }
    return result;
  };
  /** Versions once the controllers stopped writing status (rollout done). */
  const settledVersions = async () => {
    let last = await versions();
    return eventually(
      async () => {
        await new Promise(resolve => setTimeout(resolve, 1_000));
        const previous = last;
        last = await versions();
        return { previous, current: last };
      },
      ({ previous, current }) =>
        JSON.stringify(previous) === JSON.stringify(current),
    ).then(({ current }) => current);
  };

  beforeAll(() => {
    cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  });

  beforeEach(async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    namespace = `noop-${suffix}`;
    server = await startGitServer();
    repo = await createTestRepo(server, 'shop');
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-noop-'));
    repository = createRepositoryService({
      mirrors: createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
      }),
    });
    app = {
      name: `noop-${suffix}`,
      origin: 'config',
      entityRefs: [],
      source: { repoURL: repo.url, path: 'deploy', targetRevision: 'HEAD' },
      destination: { cluster: 'in-cluster', namespace },
    };
    await repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/web.yaml': deployment('web'),
      'deploy/smoke.yaml': hookJob('smoke', 'HookSucceeded'),
      'deploy/kept-hook.yaml': hookJob('kept-hook', 'HookFailed'),
    });
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    await cluster.delete(
      { apiVersion: 'v1', kind: 'Namespace', name: namespace },
      { propagationPolicy: 'Background' },
    );
  });

  /** Syncs twice: the resourceVersions before and after the second sync. */
  const syncTwice = async () => {
    const first = await sync();
    expect(first.phase).toBe('Succeeded');
    const before = await settledVersions();
    expect(Object.values(before).every(v => typeof v === 'string')).toBe(true);

    const second = await sync();
    expect(second.phase).toBe('Succeeded');
    // The HookSucceeded hook ran again, and is gone again.
    expect(second.tasks.find(t => t.name === 'smoke')?.hookPhase).toBe(
      'Succeeded',
    );
    return { before, after: await versions() };
  };

  it('with CreateNamespace=true', async () => {
    app = { ...app, syncPolicy: { syncOptions: ['CreateNamespace=true'] } };
    const { before, after } = await syncTwice();
    expect(after).toEqual(before);
  });

  it('with CreateNamespace=true and managedNamespaceMetadata', async () => {
    app = {
      ...app,
      syncPolicy: {
        syncOptions: ['CreateNamespace=true'],
        managedNamespaceMetadata: {
          labels: { team: 'payments' },
          annotations: { 'example.com/owner': 'payments' },
        },
      },
    };
    const { before, after } = await syncTwice();
    expect(after).toEqual(before);
    const ns = await cluster.get(objects()[0]);
    expect(ns?.metadata.labels).toMatchObject({ team: 'payments' });
    expect(ns?.metadata.annotations).toMatchObject({
      'example.com/owner': 'payments',
    });
  });

  it('still applies a change of managedNamespaceMetadata: a new value, a label it no longer names removed', async () => {
    const withLabels = (labels: Record<string, string>) => {
      app = {
        ...app,
        syncPolicy: {
          syncOptions: ['CreateNamespace=true'],
          managedNamespaceMetadata: { labels },
        },
      };
    };
    withLabels({ team: 'payments', tier: 'web' });
    expect((await sync()).phase).toBe('Succeeded');
    withLabels({ team: 'billing' });
    const state = await sync();
    expect(state.phase).toBe('Succeeded');
    expect(state.tasks[0]).toMatchObject({
      kind: 'Namespace',
      status: 'Synced',
    });
    const ns = await cluster.get(objects()[0]);
    expect(ns?.metadata.labels).toMatchObject({ team: 'billing' });
    expect(ns?.metadata.labels).not.toHaveProperty('tier');
  });
});
