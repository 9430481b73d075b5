import request from 'supertest';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { capturingLogger } from '../__testUtils__/capturingLogger';
import {
  eventually,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';

jest.setTimeout(180_000);

// Every table of ours; the catalog's share the database in this test.
const GITOPS_TABLES = [
  'application_status',
  'application_resources',
  'operations',
  'application_leases',
  'audit_log',
  'sync_loops',
];

const databases = createTestDatabases();

describe('repository URLs with credentials', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());

  it('fetches with the URL as written, but no answer, condition, history or row shows the token', async () => {
    const token = 'glpat-UrlT0kenThatMustNotLeak';
    const namespace = await createTestNamespace(cluster, 'url-creds');
    const git = await startGitServer({ token });
    const manifests = await createTestRepo(git, 'creds-manifests');
    await manifests.commit({
      'config/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: url-creds-config\n`,
      'catalog/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: url-creds-catalog\n`,
      'argo/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: url-creds-argo\n`,
    });
    const definitions = await createTestRepo(git, 'creds-definitions');
    // As careless users write them: user and token in the URL.
    const withToken = (url: string) =>
      url.replace('http://', `http://deploy:${token}@`);
    const masked = manifests.url.replace('http://', 'http://***@');
    await definitions.commit({
      'apps/argo.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: url-creds-argo
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${withToken(manifests.url)}
    path: argo
    targetRevision: HEAD
  destination:
    name: test
    namespace: ${namespace}
`,
    });
    const entities = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: url-creds-catalog
  annotations:
    gitops.backstage.io/repo-url: ${withToken(manifests.url)}
    gitops.backstage.io/path: catalog
    gitops.backstage.io/destination-cluster: test
    gitops.backstage.io/destination-namespace: ${namespace}
spec: { type: service, owner: team-a, lifecycle: production }
`;
    const knex = await databases.init('SQLITE_3');
    const logs = capturingLogger();
    const { server, stop } = await startGitopsTestBackend({
      knex,
      features: [logs.factory],
      entities,
      gitops: {
        applications: [
          {
            name: 'url-creds-config',
            source: { repoURL: withToken(manifests.url), path: 'config' },
            destination: { cluster: 'test', namespace },
          },
        ],
        argocd: {
          git: [{ repoURL: withToken(definitions.url), path: 'apps' }],
        },
      },
    });
    const names = ['url-creds-config', 'url-creds-catalog', 'url-creds-argo'];
    const answers: unknown[] = [];
    const answer = async (res: request.Response, status = 200) => {
      expect(res.status).toBe(status);
      answers.push(res.body);
      return res.body;
    };
    try {
      await eventually(async () => {
        const res = await request(server).get('/api/gitops/applications');
        const listed = res.body.items?.map((a: { name: string }) => a.name);
        return names.every(n => listed?.includes(n)) ? true : undefined;
      }, 'all three applications to be listed');

      for (const name of names) {
        const api = `/api/gitops/applications/${name}`;
        const refreshed = await answer(
          await request(server).post(`${api}/refresh?hard=true`),
        );
        // The fetch used the credentials: the commit was read.
        expect(refreshed.status.revision).toMatch(/^[0-9a-f]{40}$/);
        expect(refreshed.source.repoURL).toBe(masked);
        expect(refreshed.status.conditions).toContainEqual({
          type: 'Warning',
          message: expect.stringMatching(
            /carries credentials; put them in gitops\.repositories or integrations/,
          ),
        });

        const detail = await answer(await request(server).get(api));
        expect(detail.source.repoURL).toBe(masked);
        const sync = await answer(
          await request(server).post(`${api}/sync`).send({ dryRun: true }),
          202,
        );
        await eventually(async () => {
          const op = await request(server).get(`${api}/operations/${sync.id}`);
          return op.body.finishedAt ? op : undefined;
        }, `the dry run of ${name} to finish`).then(op => answer(op));
        await answer(await request(server).get(`${api}/operations`));
        await answer(await request(server).get(`${api}/audit`));
        await answer(await request(server).get(`${api}/diff`));
      }
      const list = await answer(
        await request(server).get('/api/gitops/applications'),
      );
      for (const name of names) {
        const app = list.items.find((a: { name: string }) => a.name === name);
        expect(app.source.repoURL).toBe(masked);
      }

      const everything = JSON.stringify(answers);
      expect(everything).toContain('***@');
      expect(everything).not.toContain(token);
      for (const table of GITOPS_TABLES) {
        const rows = await knex(table).select();
        expect(JSON.stringify(rows)).not.toContain(token);
      }
      // The logs name the repository (masked) and never the token.
      expect(logs.lines.some(line => line.includes(masked))).toBe(true);
      expect(logs.lines.join('\n')).not.toContain(token);
      // The rows above are not empty: statuses and history were stored.
      expect(
        (await knex('application_status').whereIn('name', names)).length,
      ).toBe(3);
      expect(
        (await knex('operations').whereIn('application', names)).length,
      ).toBe(3);
    } finally {
      await stop();
      await git.close();
    }
  });
});
