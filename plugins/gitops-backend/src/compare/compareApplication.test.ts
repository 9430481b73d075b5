import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { execFile } from 'child_process';
import { mkdtemp, rm } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { createGitMirrors, createRepositoryService } from '../repository';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { TestRepo, createTestRepo } from '../repository/__testUtils__/testRepo';
import { compareApplication } from './compareApplication';

jest.setTimeout(120_000);

const deployment = (replicasLine = '') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  ${replicasLine}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;
const configMap = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: blue
`;

describe('compareApplication on the test cluster', () => {
  let server: TestGitServer;
  let repo: TestRepo;
  let cacheDir: string;
  let cluster: ClusterClient;
  let namespace: string;
  let app: ApplicationDefinition;

  const compare = () =>
    compareApplication({
      app,
      cluster,
      repository: createRepositoryService({
        mirrors: createGitMirrors({
          cacheDir,
          timeoutMs: 10_000,
          allowHttp: true,
        }),
      }),
    });

  beforeAll(() => {
    cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  });

  // A namespace per test: an object another test's application left behind
  // would be shared with this one's (a SharedResourceWarning).
  beforeEach(async () => {
    namespace = await createTestNamespace(cluster, 'compare');
    server = await startGitServer();
    repo = await createTestRepo(server, 'shop');
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-compare-'));
    app = {
      name: `shop-${Math.random().toString(36).slice(2, 8)}`,
      origin: 'config',
      entityRefs: [],
      source: { repoURL: repo.url, path: 'deploy', targetRevision: 'HEAD' },
      destination: { cluster: 'in-cluster', namespace },
    };
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
    await cluster.delete(
      { apiVersion: 'v1', kind: 'Namespace', name: namespace },
      { propagationPolicy: 'Background' },
    );
  });

  it('reports a never-synced application as OutOfSync and Missing', async () => {
    const sha = await repo.commit({
      'deploy/web.yaml': deployment(),
      'deploy/settings.yaml': configMap,
    });
    const result = await compare();
    expect(result.revision).toBe(sha);
    expect(result.sync).toBe('OutOfSync');
    expect(result.health).toBe('Missing');
    expect(result.conditions).toEqual([]);
    expect(
      result.resources.map(r => [r.kind, r.namespace, r.comparison.status]),
    ).toEqual(
      expect.arrayContaining([
        ['Deployment', namespace, 'OutOfSync'],
        ['ConfigMap', namespace, 'OutOfSync'],
      ]),
    );
  });

  it('sees an applied application as Synced and Healthy, server defaults and all', async () => {
    await repo.commit({
      'deploy/web.yaml': deployment(),
      'deploy/settings.yaml': configMap,
    });
    const first = await compare();
    for (const manifest of first.desired) {
      await cluster.apply(manifest as KubeObject);
    }
    // kwok makes the Deployment available within moments.
    let result = await compare();
    for (let i = 0; i < 40 && result.health !== 'Healthy'; i++) {
      await new Promise(resolve => setTimeout(resolve, 250));
      result = await compare();
    }
    expect(result.health).toBe('Healthy');
    expect(result.sync).toBe('Synced');
    expect(
      result.resources.every(r => r.comparison.diff.changes.length === 0),
    ).toBe(true);

    // A person edits the live object with kubectl: that is drift, at its path.
    await promisify(execFile)(
      join(process.env.GITOPS_TEST_BIN_DIR!, 'kubectl'),
      [
        '-n',
        namespace,
        'patch',
        'configmap',
        'settings',
        '--type=merge',
        '-p',
        '{"data":{"color":"red"}}',
      ],
      {
        env: { ...process.env, KUBECONFIG: process.env.GITOPS_TEST_KUBECONFIG },
      },
    );
    const drifted = await compare();
    expect(drifted.sync).toBe('OutOfSync');
    const settings = drifted.resources.find(r => r.kind === 'ConfigMap')!;
    expect(settings.comparison.diff.changes).toEqual([
      { path: '/data/color', op: 'replace', desired: 'blue', live: 'red' },
    ]);

    // Removed from Git, still tracked live: listed as what a prune would delete.
    await repo.commit({ 'deploy/settings.yaml': null });
    const pruned = await compare();
    const extraneous = pruned.resources.filter(r => r.extraneous);
    expect(extraneous.map(r => `${r.kind}/${r.name}`)).toEqual([
      'ConfigMap/settings',
    ]);
    expect(pruned.sync).toBe('OutOfSync');
  });

  it('says in words what it cannot place, and compares the rest', async () => {
    await repo.commit({
      'deploy/settings.yaml': configMap,
      'deploy/gadget.yaml':
        'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
    });
    const result = await compare();
    expect(result.conditions).toEqual([
      {
        type: 'ComparisonError',
        message:
          'Gadget/g (deploy/gadget.yaml): the cluster does not serve Gadget in example.com/v1, and no CRD in the application defines it',
      },
    ]);
    expect(result.resources.map(r => r.kind)).toEqual(['ConfigMap']);
    expect(result.sync).toBe('OutOfSync');
  });
});
