import { KubeConfig } from '@kubernetes/client-node';
import { ClusterClient, FIELD_MANAGER, KubeObject } from './ClusterClient';
import { UnknownKindError } from './discovery';
import { ClusterUnreachableError, KubeApiError } from './kubeRequest';
import {
  createTestNamespace,
  testKubeConfig,
} from './__testUtils__/testCluster';

jest.setTimeout(120_000);

describe('ClusterClient against the test cluster', () => {
  let kc: KubeConfig;
  let client: ClusterClient;
  let namespace: string;

  beforeAll(async () => {
    kc = testKubeConfig();
    client = ClusterClient.fromKubeConfig(kc);
    namespace = await createTestNamespace(client, 'cluster-client');
  });

  afterAll(async () => {
    await client?.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
  });

  const configMap = (
    name: string,
    data: Record<string, string>,
  ): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace },
    data,
  });

  it('dry-runs a server-side apply without storing anything', async () => {
    const result = await client.apply(configMap('dry', { a: '1' }), {
      dryRun: true,
    });
    expect(result.data).toEqual({ a: '1' });
    expect(result.metadata.uid).toBeDefined();
    expect(
      await client.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'dry',
        namespace,
      }),
    ).toBeUndefined();
  });

  it('applies under its own field manager and returns server defaults', async () => {
    await client.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    });
    const live = await client.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      namespace,
    });
    const spec = live?.spec as { replicas: number; strategy: { type: string } };
    // Defaults the manifest never wrote: they must not count as drift later.
    expect(spec.replicas).toBe(1);
    expect(spec.strategy.type).toBe('RollingUpdate');
    const managers = (
      live?.metadata.managedFields as { manager: string; operation: string }[]
    ).map(f => `${f.manager}:${f.operation}`);
    expect(managers).toContain(`${FIELD_MANAGER}:Apply`);
  });

  it('sends manifests untouched, so the server judges unknown fields', async () => {
    const error = await client
      .apply({
        ...configMap('typo', { a: '1' }),
        dataa: { b: '2' },
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(KubeApiError);
    // Server-side apply answers a field outside the schema with a 500 whose
    // message names the field.
    expect(error.statusCode).toBe(500);
    expect(error.message).toMatch(/\.dataa: field not declared in schema/);
  });

  it('parses API errors into reason and causes', async () => {
    const error = await client
      .apply(configMap('Invalid_Name', { a: '1' }))
      .catch(e => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.reason).toBe('Invalid');
    expect(error.causes.length).toBeGreaterThan(0);
  });

  it('lists with a label selector, and deletes', async () => {
    await client.apply({
      ...configMap('labelled', { a: '1' }),
      metadata: { name: 'labelled', namespace, labels: { team: 'a' } },
    });
    const listed = await client.list('v1', 'ConfigMap', {
      namespace,
      labelSelector: 'team=a',
    });
    expect(listed.map(o => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/labelled',
    ]);
    const ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'labelled',
      namespace,
    };
    // Background: gone at once (Foreground waits for the garbage collector).
    const background = { propagationPolicy: 'Background' as const };
    expect(await client.delete(ref, background)).toBe(true);
    expect(await client.delete(ref, background)).toBe(false);
  });

  it('serves a custom resource once its CRD is established', async () => {
    const group = `${namespace}.example.com`;
    const crdName = `widgets.${group}`;
    const widget: KubeObject = {
      apiVersion: `${group}/v1`,
      kind: 'Widget',
      metadata: { name: 'w1', namespace },
      spec: { size: 3 },
    };
    // Looked up before the CRD exists: the miss must not be cached for good.
    await expect(client.apply(widget)).rejects.toBeInstanceOf(UnknownKindError);
    expect(await client.scopeOf(widget.apiVersion, 'Widget')).toBeUndefined();
    expect(
      await client.get({ ...widget, name: 'w1', namespace }),
    ).toBeUndefined();
    expect(await client.scopeOf('v1', 'Namespace')).toBe('Cluster');
    expect(await client.scopeOf('apps/v1', 'Deployment')).toBe('Namespaced');

    await client.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crdName },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: { size: { type: 'integer' } },
                  },
                },
              },
            },
          },
        ],
      },
    });
    try {
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          const stored = await client.apply(widget);
          expect((stored.spec as { size: number }).size).toBe(3);
          break;
        } catch (error) {
          if (!(error instanceof UnknownKindError) || Date.now() > deadline) {
            throw error;
          }
          await new Promise(resolve => setTimeout(resolve, 250));
        }
      }
    } finally {
      await client.delete({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        name: crdName,
      });
    }
  });

  it('says which cluster is unreachable, and never quotes the token', async () => {
    const token = 'secret-token-that-must-not-leak';
    const offline = new KubeConfig();
    offline.loadFromOptions({
      clusters: [
        { name: 'c', server: 'https://127.0.0.1:9', skipTLSVerify: true },
      ],
      users: [{ name: 'u', token }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const error = await ClusterClient.fromKubeConfig(offline)
      .get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'b' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ClusterUnreachableError);
    expect(error.message).toBe(
      'cluster https://127.0.0.1:9 is unreachable (ECONNREFUSED)',
    );
    expect(JSON.stringify(error)).not.toContain(token);
  });
});
