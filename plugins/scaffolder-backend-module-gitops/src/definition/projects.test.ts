import { ConfigReader } from '@backstage/config';
import { checkProjectAllows, readClusterNames, readProjects } from './projects';

const request = (repoUrl: string, cluster: string, namespace: string) => ({
  name: 'cart',
  repoUrl,
  path: '',
  revision: 'HEAD',
  destination: { cluster, namespace },
  project: 'shop',
  syncPolicy: {},
});

describe('projects', () => {
  const projects = readProjects(
    new ConfigReader({
      gitops: {
        projects: [
          {
            name: 'shop',
            sourceRepos: ['https://git.example.com/shop/*'],
            destinations: [
              { cluster: 'in-cluster', namespace: 'shop-*' },
              { cluster: 'prod-*' },
            ],
          },
        ],
      },
    }),
  );

  it('allows matching repositories and destinations, with * crossing "/"', () => {
    expect(
      checkProjectAllows(
        projects,
        request(
          'https://git.example.com/shop/team/cart.git',
          'in-cluster',
          'shop-cart',
        ),
      ),
    ).toBeUndefined();
    expect(
      checkProjectAllows(
        projects,
        request('https://git.example.com/shop/cart.git', 'prod-eu', 'anything'),
      ),
    ).toBeUndefined();
  });

  it('says what it refuses and what it would allow', () => {
    expect(
      checkProjectAllows(
        projects,
        request('https://git.example.com/other.git', 'in-cluster', 'shop-x'),
      ),
    ).toBe(
      'project "shop" does not allow repository https://git.example.com/other.git (allowed: https://git.example.com/shop/*)',
    );
    expect(
      checkProjectAllows(
        projects,
        request(
          'https://git.example.com/shop/a.git',
          'in-cluster',
          'kube-system',
        ),
      ),
    ).toBe(
      'project "shop" does not allow destination in-cluster/kube-system (allowed: in-cluster/shop-*, prod-*/*)',
    );
  });

  it('has an allow-all default project and in-cluster unless declared', () => {
    expect(
      checkProjectAllows(projects, {
        ...request('https://any.example.com/x.git', 'any', 'any'),
        project: 'default',
      }),
    ).toBeUndefined();
    expect(
      readClusterNames(
        new ConfigReader({
          gitops: { clusters: [{ name: 'prod', kubeconfigPath: '/k' }] },
        }),
      ),
    ).toEqual(['in-cluster', 'prod']);
  });
});
