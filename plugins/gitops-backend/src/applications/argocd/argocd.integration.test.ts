import request from 'supertest';
import { ClusterClient } from '../../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../../cluster/__testUtils__/testCluster';
import { startGitServer } from '../../repository/__testUtils__/gitServer';
import { createTestRepo } from '../../repository/__testUtils__/testRepo';
import { installArgoCrds } from '../../__testUtils__/argoCrds';
import {
  eventually,
  listedApplication,
  startGitopsTestBackend,
} from '../../__testUtils__/gitopsTestBackend';

jest.setTimeout(120_000);

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;

function argoApp(options: {
  name: string;
  repoURL: string;
  path: string;
  namespace: string;
  project?: string;
  destination?: string;
  annotations?: Record<string, string>;
}) {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${options.name}
  namespace: argocd
  annotations: ${JSON.stringify(options.annotations ?? {})}
spec:
  project: ${options.project ?? 'default'}
  source:
    repoURL: ${options.repoURL}
    path: ${options.path}
    targetRevision: HEAD
  destination:
    ${options.destination ?? 'name: test'}
    namespace: ${options.namespace}
  syncPolicy:
    syncOptions: [CreateNamespace=true]
`;
}

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: guestbook-ui
  annotations:
    argocd/app-name: argo-guestbook
spec: { type: service, owner: team-a, lifecycle: production }
`;

describe('Argo CD definitions', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());

  it('reads Applications and AppProjects from a Git folder, links entities, and enforces the project in refresh and sync', async () => {
    const namespace = await createTestNamespace(cluster, 'argo-git');
    const git = await startGitServer();
    const manifests = await createTestRepo(git, 'manifests');
    await manifests.commit({
      'guestbook/cm.yaml': configMap('guestbook'),
      'locked/cm.yaml': configMap('locked'),
      'windowed/cm.yaml': configMap('windowed'),
      'nested/deeper/cm.yaml': configMap('nested'),
    });
    const definitions = await createTestRepo(git, 'definitions');
    const repoURL = manifests.url;
    await definitions.commit({
      'apps/guestbook.yaml': argoApp({
        name: 'argo-guestbook',
        repoURL,
        path: 'guestbook',
        namespace,
        annotations: {
          'gitops.backstage.io/entity-refs': 'system:default/shop',
        },
      }),
      'apps/locked.yaml': argoApp({
        name: 'locked',
        repoURL,
        path: 'locked',
        namespace,
        project: 'locked',
      }),
      'apps/windowed.yaml': argoApp({
        name: 'windowed',
        repoURL,
        path: 'windowed',
        namespace,
        project: 'frozen',
      }),
      'apps/lost.yaml': argoApp({
        name: 'lost',
        repoURL,
        path: 'guestbook',
        namespace,
        destination: 'server: https://10.255.0.1:6443',
      }),
      'apps/projects.yaml': `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: locked }
spec:
  sourceRepos: ['https://git.example.com/*']
  destinations: [{ name: '*', namespace: '*' }]
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: frozen }
spec:
  sourceRepos: ['*']
  destinations: [{ name: test, namespace: '${namespace}' }]
  syncWindows:
    - { kind: deny, schedule: '* * * * *', duration: 1h, applications: ['*'] }
`,
      'apps/nested.yaml': `${argoApp({
        name: 'nested',
        repoURL,
        path: 'nested',
        namespace,
      }).replace(
        '    targetRevision: HEAD',
        '    targetRevision: HEAD\n    directory: { recurse: true }',
      )}`,
      'apps/readme.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: stray }\n',
    });
    const { server, stop } = await startGitopsTestBackend({
      entities,
      gitops: { argocd: { git: [{ repoURL: definitions.url, path: 'apps' }] } },
    });
    try {
      const guestbook = await eventually(async () => {
        const listed = await listedApplication(server, 'argo-guestbook');
        return listed.app?.entityRefs.length === 2 ? listed : undefined;
      }, 'the catalog to link guestbook-ui');
      expect(guestbook.app).toEqual({
        name: 'argo-guestbook',
        origin: 'argocd',
        entityRefs: ['system:default/shop', 'component:default/guestbook-ui'],
        project: 'default',
        source: { repoURL, path: 'guestbook', targetRevision: 'HEAD' },
        destination: { cluster: 'test', namespace },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      });
      expect(guestbook.problems).toEqual(
        expect.arrayContaining([
          {
            origin: expect.stringContaining(
              'apps/lost.yaml: Application/argocd/lost',
            ),
            message: expect.stringContaining(
              'destination server https://10.255.0.1:6443 is not the API server of any cluster declared in gitops.clusters',
            ),
          },
          {
            origin: expect.stringContaining('apps/readme.yaml'),
            message:
              'ConfigMap is not an Argo CD Application or AppProject and is ignored',
          },
        ]),
      );
      const byEntity = await request(server).get(
        '/api/gitops/applications?entityRef=component:default/guestbook-ui',
      );
      expect(byEntity.body.items.map((a: { name: string }) => a.name)).toEqual([
        'argo-guestbook',
      ]);

      // The project's rules are conditions of the refresh, and refuse syncs.
      const locked = await request(server).post(
        '/api/gitops/applications/locked/refresh',
      );
      expect(locked.body.status.conditions).toEqual([
        {
          type: 'InvalidSpecError',
          message: `repository ${repoURL} is not permitted in project "locked"`,
        },
      ]);
      const refused = await request(server)
        .post('/api/gitops/applications/locked/sync')
        .send({});
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        `Sync of "locked" refused: repository ${repoURL} is not permitted in project "locked"`,
      );

      // A deny window refuses syncs but not dry runs.
      const windowed = await request(server)
        .post('/api/gitops/applications/windowed/sync')
        .send({});
      expect(windowed.status).toBe(409);
      expect(windowed.body.error.message).toContain(
        'sync blocked: a deny sync window is open (schedule "* * * * *" for 1h UTC)',
      );
      const dryRun = await request(server)
        .post('/api/gitops/applications/windowed/sync')
        .send({ dryRun: true });
      expect(dryRun.status).toBe(202);

      // The default project lets guestbook sync.
      const synced = await request(server)
        .post('/api/gitops/applications/argo-guestbook/sync')
        .send({});
      expect(synced.status).toBe(202);
      const live = await eventually(
        () =>
          cluster.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'guestbook',
            namespace,
          }),
        'the guestbook ConfigMap',
      );
      expect(live.data).toEqual({ a: '1' });

      // Source options as written reach the renderer: only with
      // directory.recurse is the nested folder read.
      const nested = await request(server)
        .post('/api/gitops/applications/nested/sync')
        .send({});
      expect(nested.status).toBe(202);
      const fromSubfolder = await eventually(
        () =>
          cluster.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            name: 'nested',
            namespace,
          }),
        'the ConfigMap of the nested folder',
      );
      expect(fromSubfolder.metadata.name).toBe('nested');
    } finally {
      await stop();
      await git.close();
    }
  });

  it('reads Application objects from a namespace of a declared cluster', async () => {
    await installArgoCrds(cluster);
    const argoNamespace = await createTestNamespace(cluster, 'argo-apps');
    const target = await createTestNamespace(cluster, 'argo-target');
    await cluster.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'from-cluster', namespace: argoNamespace },
      spec: {
        source: { repoURL: 'https://git.example.com/apps.git', path: 'web' },
        destination: {
          server: 'https://kubernetes.default.svc',
          namespace: target,
        },
        syncPolicy: { automated: { prune: true } },
      },
    });
    await cluster.apply({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'helm-chart', namespace: argoNamespace },
      spec: {
        source: { repoURL: 'https://charts.example.com', chart: 'nginx' },
        destination: { name: 'test', namespace: target },
      },
    });
    const { server, stop } = await startGitopsTestBackend({
      gitops: {
        argocd: { clusters: [{ cluster: 'test', namespace: argoNamespace }] },
      },
    });
    try {
      const listed = await listedApplication(server, 'from-cluster');
      expect(listed.app).toEqual({
        name: 'from-cluster',
        origin: 'argocd',
        entityRefs: [],
        project: 'default',
        source: {
          repoURL: 'https://git.example.com/apps.git',
          path: 'web',
          targetRevision: 'HEAD',
        },
        destination: { cluster: 'in-cluster', namespace: target },
        syncPolicy: {
          automated: { prune: true, selfHeal: false, allowEmpty: false },
        },
      });
      expect(listed.problems).toContainEqual({
        origin: `gitops.argocd.clusters test/${argoNamespace}: Application/helm-chart`,
        message:
          'spec.source.chart (a chart from a Helm repository) is not supported; keep the chart in Git and name its path',
      });
    } finally {
      await stop();
    }
  });
});
