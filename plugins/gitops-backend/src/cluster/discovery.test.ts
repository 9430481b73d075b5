import { ClusterClient } from './ClusterClient';
import { testKubeConfig } from './__testUtils__/testCluster';
import { createDiscovery } from './discovery';
import { createKubeRequester } from './kubeRequest';

jest.setTimeout(60_000);

describe('discovery on the test cluster', () => {
  const kc = testKubeConfig();
  const cluster = ClusterClient.fromKubeConfig(kc);
  const group = `broken-${Math.random().toString(36).slice(2, 8)}.example.com`;
  const apiService = {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: `v1.${group}` },
    spec: {
      group,
      version: 'v1',
      // A backend that does not exist: the aggregator answers 503 for it,
      // as it does for a crashed metrics-server.
      service: { namespace: 'default', name: 'nowhere', port: 443 },
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 1000,
      versionPriority: 15,
    },
  };

  afterAll(async () => {
    await cluster.delete({
      apiVersion: apiService.apiVersion,
      kind: apiService.kind,
      name: apiService.metadata.name,
    });
  });

  it('lists the served kinds even while an aggregated API is down', async () => {
    await cluster.apply(apiService);
    const request = createKubeRequester(kc);
    // The group is announced (or not yet) but its documents fail: either way
    // the rest of the cluster's kinds are listed.
    const kinds = await createDiscovery(request).listableKinds();
    expect(kinds.map(k => `${k.apiVersion}/${k.kind}`)).toEqual(
      expect.arrayContaining(['v1/ConfigMap', 'apps/v1/Deployment']),
    );
    const groups = await request<{ groups: { name: string }[] }>({
      method: 'GET',
      path: '/apis',
    });
    // Proof that the broken group was really in the way.
    expect(groups.groups.map(g => g.name)).toContain(group);
  });
});
