import { ConfigReader } from '@backstage/config';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ClusterConfigError, readClusters } from './clusters';

function kubeconfig(user: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-kubeconfig-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://10.9.8.7:6443' } }],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'ctx',
    }),
  );
  return file;
}

describe('readClusters', () => {
  it('loads declared clusters lazily and adds in-cluster from the environment', () => {
    const loadDefault = jest.fn(kc =>
      kc.loadFromFile(kubeconfig({ token: 'abc' })),
    );
    const clusters = readClusters(
      new ConfigReader({
        gitops: {
          clusters: [
            { name: 'staging', kubeconfigPath: kubeconfig({ token: 't' }) },
          ],
        },
      }),
      loadDefault,
    );
    expect([...clusters.keys()]).toEqual(['staging', 'in-cluster']);
    expect(loadDefault).not.toHaveBeenCalled();
    expect(clusters.get('staging')!().getCurrentCluster()?.server).toBe(
      'https://10.9.8.7:6443',
    );
    clusters.get('in-cluster')!();
    expect(loadDefault).toHaveBeenCalledTimes(1);
  });

  it.each([
    [
      'an exec plugin',
      {
        exec: {
          command: 'sh',
          args: ['-c', 'id'],
          apiVersion: 'client.authentication.k8s.io/v1',
        },
      },
    ],
    ['an auth-provider', { 'auth-provider': { name: 'oidc', config: {} } }],
  ])('refuses a kubeconfig with %s', (_what, user) => {
    const clusters = readClusters(
      new ConfigReader({
        gitops: {
          clusters: [{ name: 'prod', kubeconfigPath: kubeconfig(user) }],
        },
      }),
    );
    expect(() => clusters.get('prod')!()).toThrow(
      new ClusterConfigError(
        'cluster "prod": kubeconfig users with exec or auth-provider plugins are refused; use a token or client certificate',
      ),
    );
  });

  it('names the cluster whose kubeconfig is missing', () => {
    const clusters = readClusters(
      new ConfigReader({
        gitops: {
          clusters: [
            { name: 'gone', kubeconfigPath: '/nonexistent/kubeconfig' },
          ],
        },
      }),
    );
    expect(() => clusters.get('gone')!()).toThrow(
      /^cluster "gone": kubeconfig cannot be read/,
    );
  });

  it('refuses a cluster declared twice', () => {
    const file = kubeconfig({ token: 't' });
    expect(() =>
      readClusters(
        new ConfigReader({
          gitops: {
            clusters: [
              { name: 'a', kubeconfigPath: file },
              { name: 'a', kubeconfigPath: file },
            ],
          },
        }),
      ),
    ).toThrow('cluster "a" is declared twice');
  });
});
