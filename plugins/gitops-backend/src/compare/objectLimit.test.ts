import request from 'supertest';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { startGitopsTestBackend } from '../__testUtils__/gitopsTestBackend';

jest.setTimeout(120_000);

const configMaps = (count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: object-limit-${i}\n`,
  ).join('---\n');

describe('gitops.limits.maxApplicationObjects', () => {
  it('refuses an application over the configured limit with a condition naming both counts', async () => {
    const git = await startGitServer();
    const repo = await createTestRepo(git, 'object-limit');
    await repo.commit({ 'deploy/cms.yaml': configMaps(4) });
    const { server, stop } = await startGitopsTestBackend({
      gitops: {
        limits: { maxApplicationObjects: 3 },
        applications: [
          {
            name: 'object-limit',
            source: { repoURL: repo.url, path: 'deploy' },
            destination: { cluster: 'test', namespace: 'default' },
          },
        ],
      },
    });
    try {
      const res = await request(server).post(
        '/api/gitops/applications/object-limit/refresh',
      );
      expect(res.status).toBe(200);
      expect(res.body.status).toMatchObject({
        sync: 'Unknown',
        conditions: [
          {
            type: 'ComparisonError',
            message:
              'application "object-limit": renders 4 objects, more than the limit of 3 objects per application (gitops.limits.maxApplicationObjects)',
          },
        ],
      });
    } finally {
      await stop();
      await git.close();
    }
  });
});
