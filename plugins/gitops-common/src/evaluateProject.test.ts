import { AppProject, DEFAULT_PROJECT } from './appProject';
import { projectViolations } from './evaluateProject';
import { ApplicationDefinition } from './types';

const app: ApplicationDefinition = {
  name: 'cart',
  origin: 'argocd',
  entityRefs: [],
  project: 'shop',
  source: {
    repoURL: 'https://git.example.com/shop/cart.git',
    path: 'deploy',
    targetRevision: 'HEAD',
  },
  destination: { cluster: 'prod', namespace: 'shop' },
};
const cluster = { name: 'prod', server: 'https://prod.example.com:6443' };
const shop: AppProject = {
  name: 'shop',
  sourceRepos: [
    'https://git.example.com/shop/*',
    '!https://git.example.com/shop/secret*',
  ],
  destinations: [
    { server: 'https://prod.example.com:6443', namespace: 'shop*' },
    { name: 'prod', namespace: '!shop-admin' },
  ],
  clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
  namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
  syncWindows: [],
};

describe('projectViolations', () => {
  it('allows everything in the built-in default project', () => {
    expect(
      projectViolations({
        project: DEFAULT_PROJECT,
        app,
        cluster,
        resources: [
          {
            group: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'x',
          },
          {
            group: 'apps',
            kind: 'Deployment',
            name: 'cart',
            namespace: 'other',
          },
        ],
      }),
    ).toEqual([]);
  });

  it('checks source repositories with globs that cross slashes, and negations', () => {
    expect(projectViolations({ project: shop, app, cluster })).toEqual([]);
    const secret = {
      ...app,
      source: {
        ...app.source,
        repoURL: 'https://git.example.com/shop/secrets.git',
      },
    };
    expect(projectViolations({ project: shop, app: secret, cluster })).toEqual([
      'repository https://git.example.com/shop/secrets.git is not permitted in project "shop"',
    ]);
    const elsewhere = {
      ...app,
      source: { ...app.source, repoURL: 'https://git.example.com/other/x.git' },
    };
    expect(
      projectViolations({ project: shop, app: elsewhere, cluster }),
    ).toHaveLength(1);
  });

  it('checks the destination and every namespace the resources use', () => {
    expect(
      projectViolations({
        project: shop,
        app,
        cluster,
        resources: [
          {
            group: 'apps',
            kind: 'Deployment',
            name: 'a',
            namespace: 'shop-web',
          },
          {
            group: 'apps',
            kind: 'Deployment',
            name: 'b',
            namespace: 'kube-system',
          },
          {
            group: 'apps',
            kind: 'Deployment',
            name: 'c',
            namespace: 'shop-admin',
          },
        ],
      }),
    ).toEqual([
      'destination cluster "prod", namespace "kube-system" is not permitted in project "shop"',
      'destination cluster "prod", namespace "shop-admin" is not permitted in project "shop"',
    ]);
    expect(
      projectViolations({ project: shop, app, cluster: { name: 'staging' } }),
    ).toEqual([
      'destination cluster "staging", namespace "shop" is not permitted in project "shop"',
    ]);
  });

  it('applies the resource allow and deny lists by scope', () => {
    expect(
      projectViolations({
        project: shop,
        app,
        cluster,
        resources: [
          { group: '', kind: 'Namespace', name: 'shop' },
          {
            group: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'admin',
          },
          { group: '', kind: 'ResourceQuota', name: 'q', namespace: 'shop' },
          { group: '', kind: 'ConfigMap', name: 'c', namespace: 'shop' },
        ],
      }),
    ).toEqual([
      'cluster-scoped resource rbac.authorization.k8s.io/ClusterRole admin is not permitted in project "shop"',
      'namespaced resource core/ResourceQuota shop/q is not permitted in project "shop"',
    ]);
  });
});
