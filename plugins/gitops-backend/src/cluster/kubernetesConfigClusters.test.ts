import { ConfigReader } from '@backstage/config';
import fs from 'fs';
import { testKubeConfig } from './__testUtils__/testCluster';
import { createClusterClients, readClusters } from './clusters';

const kubernetes = (clusters: object[], type = 'config') => ({
  kubernetes: {
    serviceLocatorMethod: { type: 'multiTenant' },
    clusterLocatorMethods: [{ type, clusters }],
  },
});

describe('clusters from kubernetes.clusterLocatorMethods', () => {
  it('builds a token kubeconfig from a serviceAccount cluster', () => {
    const clusters = readClusters(
      new ConfigReader(
        kubernetes([
          {
            name: 'prod',
            url: 'https://10.1.2.3:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'sa-token',
            caData: 'Q0E=',
            skipTLSVerify: false,
          },
        ]),
      ),
    );
    expect([...clusters.keys()]).toEqual(['prod', 'in-cluster']);
    const kc = clusters.get('prod')!();
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'https://10.1.2.3:6443',
      caData: 'Q0E=',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()?.token).toBe('sa-token');
  });

  it('keeps gitops.clusters and reads only locators of type config', () => {
    const config = new ConfigReader({
      gitops: { clusters: [] },
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          {
            type: 'config',
            clusters: [
              {
                name: 'a',
                url: 'https://a',
                authProvider: 'serviceAccount',
                serviceAccountToken: 't',
                skipTLSVerify: true,
              },
            ],
          },
        ],
      },
    });
    const clusters = readClusters(config);
    expect([...clusters.keys()]).toEqual(['a', 'in-cluster']);
    expect(clusters.get('a')!().getCurrentCluster()?.skipTLSVerify).toBe(true);
  });

  it('refuses another auth provider, naming the cluster', () => {
    const clusters = readClusters(
      new ConfigReader(
        kubernetes([
          { name: 'gke-prod', url: 'https://x', authProvider: 'google' },
        ]),
      ),
    );
    expect(() => clusters.get('gke-prod')!()).toThrow(
      'cluster "gke-prod": authProvider "google" in kubernetes.clusterLocatorMethods is not supported for GitOps destinations; use "serviceAccount" with a serviceAccountToken',
    );
    expect(() => createClusterClients(clusters)('gke-prod')).toThrow(
      /^cluster "gke-prod": authProvider "google"/,
    );
  });

  it('refuses a serviceAccount cluster without a token, naming it', () => {
    const clusters = readClusters(
      new ConfigReader(
        kubernetes([
          { name: 'bare', url: 'https://x', authProvider: 'serviceAccount' },
        ]),
      ),
    );
    expect(() => clusters.get('bare')!()).toThrow(
      'cluster "bare": serviceAccountToken is required',
    );
  });

  it('refuses a name declared twice, also across gitops.clusters', () => {
    const entry = {
      name: 'dup',
      url: 'https://x',
      authProvider: 'serviceAccount',
      serviceAccountToken: 't',
    };
    expect(() =>
      readClusters(new ConfigReader(kubernetes([entry, entry]))),
    ).toThrow('cluster "dup" is declared twice');
    expect(() =>
      readClusters(
        new ConfigReader({
          ...kubernetes([entry]),
          gitops: { clusters: [{ name: 'dup', kubeconfigPath: '/x' }] },
        }),
      ),
    ).toThrow('cluster "dup" is declared twice');
  });

  it('reaches the real test cluster through such a config, with caData and with caFile', async () => {
    const admin = testKubeConfig();
    const server = admin.getCurrentCluster()!;
    const token = admin.getCurrentUser()!.token!;
    const caFile = server.caFile!;
    expect(caFile).toBeTruthy();
    const caData = fs.readFileSync(caFile).toString('base64');
    const clusters = readClusters(
      new ConfigReader(
        kubernetes([
          {
            name: 'by-data',
            url: server.server,
            authProvider: 'serviceAccount',
            serviceAccountToken: token,
            caData,
          },
          {
            name: 'by-file',
            url: server.server,
            authProvider: 'serviceAccount',
            serviceAccountToken: token,
            caFile,
          },
        ]),
      ),
    );
    const clientFor = createClusterClients(clusters);
    for (const name of ['by-data', 'by-file']) {
      const namespace = await clientFor(name).get({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: 'default',
      });
      expect(namespace?.metadata?.name).toBe('default');
    }
  });
});
