import { mockServices } from '@backstage/backend-test-utils';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { installArgoCrds } from '../__testUtils__/argoCrds';
import { eventually } from '../__testUtils__/gitopsTestBackend';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { OperationStore } from '../database/OperationStore';
import { stamp } from '../engine';
import { createApplicationFinalizer } from './finalizeApplications';

jest.setTimeout(120_000);

// Holds the cascade-deleted ConfigMap in Terminating, as a controller's
// own finalizer would, so the finalizer has to wait across passes.
const HOLD = 'example.com/hold';

// A sync decided from a definition read just before the deletion would
// apply again what the cascade deletes (a full run once saw 2 resources
// re-created after the finalizer was gone). No sync may start meanwhile.
describe('the resources-finalizer and the sync lease', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let namespace: string;
  let argoNamespace: string;

  beforeAll(async () => {
    await installArgoCrds(cluster);
    namespace = await createTestNamespace(cluster, 'finalizer-lease');
    argoNamespace = await createTestNamespace(cluster, 'finalizer-lease-argo');
  });
  afterAll(async () => {
    for (const name of [namespace, argoNamespace]) {
      await cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name });
    }
  });

  it('holds the lease from the first deletion until the finalizer is removed', async () => {
    const operations = await OperationStore.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    const app: ApplicationDefinition = {
      name: `example.lease-${Date.now().toString(36)}`,
      origin: 'argocd',
      entityRefs: [],
      source: {
        repoURL: 'https://example.com/unused.git',
        path: '.',
        targetRevision: 'HEAD',
      },
      destination: { cluster: 'test', namespace },
    };
    const settings = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace, finalizers: [HOLD] },
      data: { a: '1' },
    };
    await cluster.apply(stamp(settings, app.name));
    const appRef = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      name: app.name,
      namespace: argoNamespace,
    };
    await cluster.create({
      apiVersion: appRef.apiVersion,
      kind: appRef.kind,
      metadata: {
        name: app.name,
        namespace: argoNamespace,
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {},
    });
    await cluster.delete(appRef, { propagationPolicy: 'Background' });

    const finalizer = createApplicationFinalizer({
      argo: {
        readDeleting: async () => [
          { application: app, cluster: 'test', namespace: argoNamespace },
        ],
      },
      clientFor: () => cluster,
      repository: {
        render: async () => {
          throw new Error('no PostDelete hooks here');
        },
        forget: () => undefined,
      },
      operations,
      logger: mockServices.logger.mock(),
      holdMs: 60_000,
    });
    const syncMayStart = () =>
      operations.tryAcquireLease(app.name, 'a-sync', 60_000);

    await finalizer.finalizeAll();
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'settings',
      namespace,
    };
    expect((await cluster.get(cm))?.metadata.deletionTimestamp).toBeDefined();
    expect(await syncMayStart()).toBe(false);
    // A second pass, still waiting for the ConfigMap, keeps the lease.
    await finalizer.finalizeAll();
    expect(await syncMayStart()).toBe(false);

    const live = (await cluster.get(cm))!;
    await cluster.setFinalizers(cm, [], String(live.metadata.resourceVersion));
    await eventually(
      async () => ((await cluster.get(cm)) ? undefined : true),
      'the ConfigMap to be gone',
    );
    await finalizer.finalizeAll();
    expect(await cluster.get(appRef)).toBeUndefined();
    expect(await syncMayStart()).toBe(true);
  });
});
