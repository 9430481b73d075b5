import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { createReconcileLoop } from '../__testUtils__/reconcileLoop';
import { useTestApplication } from '../__testUtils__/testApplication';
import { parsePush } from '../webhooks/parsePush';
import { createWebhookService } from '../webhooks/WebhookService';

jest.setTimeout(120_000);

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

// Argo CD's repo server answers the controller's refreshes of every
// application on a repository from one ls-remote; a user's refresh and a
// webhook still see a new commit at once.
describe('the poll loop asks Git once per repository', () => {
  const t = useTestApplication('poll-git');
  const FLEET = 5;
  let apps: ApplicationDefinition[];

  beforeEach(async () => {
    await t.repo.commit(
      Object.fromEntries(
        Array.from({ length: FLEET }, (_, i) => [
          `apps/a${i}/cm.yaml`,
          configMap(`a${i}`, '1'),
        ]),
      ),
    );
    apps = Array.from({ length: FLEET }, (_, i) =>
      t.newApp(`poll-${i}`, `apps/a${i}`),
    );
  });

  const loopOfAll = () =>
    createReconcileLoop({
      knex: t.knex,
      app: () => apps[0],
      others: () => apps.slice(1),
      cluster: t.cluster,
      repository: t.repository,
    });

  it('fetches once for a pass over every application of the repository', async () => {
    const loop = await loopOfAll();
    const before = t.gitRequests();
    await loop.refreshAll();
    await loop.refreshAll();
    expect(t.gitRequests() - before).toBe(1);
    for (const app of apps) {
      const status = (await loop.statuses.readStatuses([app.name])).get(
        app.name,
      );
      expect(status?.revision).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it("asks Git on a user's refresh, and after a webhook for the repository", async () => {
    const loop = await loopOfAll();
    await loop.refreshAll();
    const second = await t.repo.commit({
      'apps/a0/cm.yaml': configMap('a0', '2'),
    });
    // Within the sharing window the loop still reads the earlier answer ...
    await loop.refreshAll();
    expect((await loop.status())?.revision).not.toBe(second);
    // ... a user's refresh does not.
    expect((await loop.refresh()).revision).toBe(second);

    const third = await t.repo.commit({
      'apps/a1/cm.yaml': configMap('a1', '3'),
    });
    const webhooks = createWebhookService({
      applications: {
        readDefinitions: async () => ({ applications: apps, problems: [] }),
      } as never,
      repository: t.repository,
      refresh: async () => undefined,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
    });
    await webhooks.onPush(
      parsePush('github', {
        ref: 'refs/heads/main',
        repository: { clone_url: t.repo.url, default_branch: 'main' },
        commits: [{ modified: ['apps/a1/cm.yaml'] }],
      }),
    );
    await loop.refreshAll();
    const statuses = await loop.statuses.readStatuses(apps.map(a => a.name));
    expect(statuses.get(apps[1].name)?.revision).toBe(third);
  });
});
