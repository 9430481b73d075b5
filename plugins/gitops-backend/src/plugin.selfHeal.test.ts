import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { execFile } from 'child_process';
import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { ClusterClient } from './cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from './cluster/__testUtils__/testCluster';
import { gitopsPlugin } from './plugin';
import { startGitServer } from './repository/__testUtils__/gitServer';
import { createTestRepo } from './repository/__testUtils__/testRepo';

jest.setTimeout(90_000);

const kubectl = (...args: string[]) =>
  promisify(execFile)(
    path.join(process.env.GITOPS_TEST_BIN_DIR!, 'kubectl'),
    args,
    { env: { ...process.env, KUBECONFIG: process.env.GITOPS_TEST_KUBECONFIG } },
  );

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  let value = await read();
  for (let i = 0; i < 300 && !done(value); i++) {
    await new Promise(resolve => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe('selfHeal with the watch cache', () => {
  it('repairs a live edit at once, though the poll interval is an hour', async () => {
    const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
    const namespace = await createTestNamespace(cluster, 'self-heal');
    const git = await startGitServer();
    const repo = await createTestRepo(git, 'healing');
    await repo.commit({
      'deploy/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: blue\n',
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-heal-'));
    const backend = await startTestBackend({
      features: [
        gitopsPlugin,
        catalogPlugin,
        mockServices.rootConfig.factory({
          data: {
            gitops: {
              allowHttpRepositories: true,
              cacheDir: path.join(dir, 'mirrors'),
              // Only the first comparison comes from the loop; the repair
              // must come from the watch.
              reconcile: { interval: { hours: 1 } },
              clusters: [
                {
                  name: 'test',
                  kubeconfigPath: process.env.GITOPS_TEST_KUBECONFIG,
                },
              ],
              applications: [
                {
                  name: 'healing',
                  source: { repoURL: repo.url, path: 'deploy' },
                  destination: { cluster: 'test', namespace },
                  syncPolicy: { automated: { selfHeal: true } },
                },
              ],
            },
          },
        }),
      ],
    });
    const live = () =>
      cluster.get({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        name: 'settings',
        namespace,
      });
    const color = (obj: Awaited<ReturnType<typeof live>>) =>
      (obj?.data as { color?: string } | undefined)?.color;
    const operations = async () =>
      (
        await request(backend.server).get(
          '/api/gitops/applications/healing/operations',
        )
      ).body.items as { phase: string; initiatedBy: string }[];
    try {
      // The loop's first run syncs the new application.
      expect(color(await eventually(live, obj => color(obj) === 'blue'))).toBe(
        'blue',
      );
      const first = await eventually(operations, ops =>
        ops.every(op => op.phase !== 'Running'),
      );
      // The refresh that ends the sync has run: from here on, without the
      // watch nothing would compare the application for an hour.
      const status = async () =>
        (await request(backend.server).get('/api/gitops/applications')).body
          .items[0]?.status as { sync?: string } | undefined;
      expect((await eventually(status, s => s?.sync === 'Synced'))?.sync).toBe(
        'Synced',
      );
      expect(first).toEqual([
        expect.objectContaining({
          initiatedBy: 'automated',
          phase: 'Succeeded',
        }),
      ]);

      await kubectl(
        '-n',
        namespace,
        'patch',
        'configmap',
        'settings',
        '--type=merge',
        '-p',
        '{"data":{"color":"red"}}',
      );
      expect(color(await eventually(live, obj => color(obj) === 'blue'))).toBe(
        'blue',
      );
      const after = await eventually(
        operations,
        ops => ops.length === 2 && ops[0].phase === 'Succeeded',
      );
      expect(after.map(op => [op.initiatedBy, op.phase])).toEqual([
        ['automated', 'Succeeded'],
        ['automated', 'Succeeded'],
      ]);
    } finally {
      await backend.stop();
      await git.close();
      await cluster.delete({
        apiVersion: 'v1',
        kind: 'Namespace',
        name: namespace,
      });
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
