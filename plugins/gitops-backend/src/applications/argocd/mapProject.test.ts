import { parse } from 'yaml';
import { mapArgoObjects } from './ArgoSource';
import { projectFromArgo } from './mapProject';

const project = (spec: string) =>
  parse(`
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: shop, namespace: argocd }
spec:
${spec}`);

describe('projectFromArgo', () => {
  it('reads repositories, destinations, resource lists and sync windows', () => {
    const result = projectFromArgo(
      project(`
  description: the shop
  sourceRepos: ['https://git.example.com/shop/*']
  destinations:
    - { server: https://kubernetes.default.svc, namespace: 'shop-*' }
  clusterResourceWhitelist: [{ group: '', kind: Namespace }]
  namespaceResourceBlacklist: [{ group: '', kind: ResourceQuota }]
  syncWindows:
    - kind: deny
      schedule: '0 22 * * *'
      duration: 8h
      applications: ['*']
      manualSync: true
      timeZone: Europe/Paris
`),
    );
    expect(result.problems).toEqual([]);
    expect(result.project).toMatchObject({
      name: 'shop',
      sourceRepos: ['https://git.example.com/shop/*'],
      destinations: [
        { server: 'https://kubernetes.default.svc', namespace: 'shop-*' },
      ],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
      syncWindows: [
        {
          kind: 'deny',
          schedule: '0 22 * * *',
          duration: '8h',
          applications: ['*'],
          manualSync: true,
          timeZone: 'Europe/Paris',
        },
      ],
    });
  });

  it('refuses a project whose rules it cannot read or does not enforce', () => {
    const result = projectFromArgo(
      project(`
  sourceRepos: ['*']
  roles: [{ name: ci }]
  syncWindows:
    - { kind: deny, schedule: 'every night', duration: 8h }
    - { kind: maybe, schedule: '* * * * *', duration: 1h }
    - { kind: allow, schedule: '* * * * *', duration: forever }
`),
    );
    expect(result.project).toBeUndefined();
    expect(result.problems).toEqual([
      'spec.roles is not supported',
      expect.stringMatching(
        /^spec.syncWindows\[0\]: schedule "every night" is not a cron expression/,
      ),
      'spec.syncWindows[1].kind must be allow or deny',
      'spec.syncWindows[2]: duration "forever" is not a duration such as 1h or 30m',
    ]);
  });
});

describe('mapArgoObjects', () => {
  const context = {
    clusters: [{ name: 'in-cluster' }],
    allowHttp: false,
    inClusterName: 'in-cluster',
  };

  it('keeps the built-in default project and refuses a second definition of a project', () => {
    const shop = project(`  sourceRepos: ['*']`);
    const mapped = mapArgoObjects(
      [
        { objects: [{ origin: 'a.yaml', object: shop }], problems: [] },
        { objects: [{ origin: 'b.yaml', object: shop }], problems: [] },
      ],
      context,
    );
    expect([...mapped.projects.keys()].sort()).toEqual(['default', 'shop']);
    expect(mapped.problems).toEqual([
      {
        origin: 'b.yaml',
        message: 'project "shop" is already defined by a.yaml',
      },
    ]);
  });
});
