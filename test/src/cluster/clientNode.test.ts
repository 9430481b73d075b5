import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  V1Job,
} from '@kubernetes/client-node';
import { FAIL_POD_LABEL } from '../../cluster/cluster';
import {
  createTestNamespace,
  eventually,
  testKubeConfig,
} from './testNamespace';

jest.setTimeout(180_000);

// The control plane of test/cluster, reached the way the plugin reaches
// clusters: through @kubernetes/client-node, with real controllers and kwok.
describe('the test cluster through @kubernetes/client-node', () => {
  let kc: KubeConfig;
  let namespace: Awaited<ReturnType<typeof createTestNamespace>>;

  beforeAll(async () => {
    kc = testKubeConfig();
    namespace = await createTestNamespace(kc, 'client-node');
  });

  afterAll(async () => {
    await namespace?.remove();
  });

  it('runs a Deployment until it is Available', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: namespace.name,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    await eventually('Deployment web to be Available', async () => {
      const { status } = await apps.readNamespacedDeploymentStatus({
        name: 'web',
        namespace: namespace.name,
      });
      return (
        status?.availableReplicas === 2 &&
        (status.conditions ?? []).some(
          c => c.type === 'Available' && c.status === 'True',
        )
      );
    });
  });

  function job(name: string, failing: boolean): V1Job {
    return {
      metadata: { name },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: failing ? { labels: { [FAIL_POD_LABEL]: 'true' } } : {},
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'main', image: 'busybox:1.36' }],
          },
        },
      },
    };
  }

  async function jobCondition(name: string): Promise<string | undefined> {
    const { status } = await kc
      .makeApiClient(BatchV1Api)
      .readNamespacedJobStatus({ name, namespace: namespace.name });
    return (status?.conditions ?? []).find(
      c =>
        (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    )?.type;
  }

  it('completes a Job whose pod succeeds, and fails one whose pod fails', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    await batch.createNamespacedJob({
      namespace: namespace.name,
      body: job('succeeds', false),
    });
    await batch.createNamespacedJob({
      namespace: namespace.name,
      body: job('fails', true),
    });

    let succeeded: string | undefined;
    let failed: string | undefined;
    await eventually('both Jobs to finish', async () => {
      succeeded = await jobCondition('succeeds');
      failed = await jobCondition('fails');
      return Boolean(succeeded && failed);
    });
    expect(succeeded).toBe('Complete');
    expect(failed).toBe('Failed');
  });

  it('finishes deleting a namespace with objects in it', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const scratch = await createTestNamespace(kc, 'scratch');
    await core.createNamespacedConfigMap({
      namespace: scratch.name,
      body: { metadata: { name: 'settings' }, data: { a: '1' } },
    });
    await scratch.remove();
    await expect(
      core.readNamespace({ name: scratch.name }),
    ).rejects.toMatchObject({ code: 404 });
  });
});
