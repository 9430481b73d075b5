import { DatabaseService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { testKubeConfig } from '../cluster/__testUtils__/testCluster';
import { createGitopsController } from '../controller/createGitopsController';
import { countingClient } from '../__testUtils__/countedRequests';
import { CapturingLogger } from '../__testUtils__/reconcileLoop';
import { useTestApplication } from '../__testUtils__/testApplication';

jest.setTimeout(120_000);

const configMap = (name: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  value: "${value}"
`;

// Issue "Fleet scale": a sync repeated the refresh's comparison (a dry run
// per resource) and then read every live object with a GET. Started on what
// the last refresh compared, it asks again only about what changed since.
describe('a sync starts from the comparison of the refresh before it', () => {
  const kc = testKubeConfig();
  const t = useTestApplication('sync-reuse');

  async function setUp(app: ApplicationDefinition) {
    const counted = countingClient(kc);
    const controller = await createGitopsController({
      logger: new CapturingLogger(),
      auth: mockServices.auth(),
      scheduler: mockServices.scheduler.mock(),
      database: { getClient: async () => t.knex } as DatabaseService,
      applications: {
        readDefinitions: async () => ({ applications: [app], problems: [] }),
      },
      repository: t.repository,
      clusters: new Map([['in-cluster', () => kc]]),
      clientFor: () => counted.cluster,
      // Not started, and no live refresh: the test decides every refresh.
      settings: {
        enabled: false,
        watch: true,
        interval: { minutes: 3 },
        concurrency: 1,
      },
    });
    await controller.cacheFor!('in-cluster').waitForSync();
    return { counted, controller };
  }

  async function syncAndSettle(
    controller: Awaited<ReturnType<typeof setUp>>['controller'],
    app: ApplicationDefinition,
  ) {
    const started = await controller.syncs.start(app, {}, 'user:default/t');
    for (const deadline = Date.now() + 60_000; ; ) {
      const op = await controller.operations.getOperation(app.name, started.id);
      const status = (await controller.statuses.readStatuses([app.name])).get(
        app.name,
      );
      if (
        op?.finishedAt &&
        status?.reconciledAt &&
        Date.parse(status.reconciledAt) >= Date.parse(op.finishedAt)
      ) {
        return op;
      }
      if (Date.now() > deadline) throw new Error('the sync did not settle');
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  it('compares again only what changed since that refresh, and reads live objects from the watch cache', async () => {
    await t.repo.commit({
      'deploy/a.yaml': configMap('a', '1'),
      'deploy/b.yaml': configMap('b', '1'),
      'deploy/c.yaml': configMap('c', '1'),
    });
    const app = t.newApp('sync-reuse');
    const { counted, controller } = await setUp(app);
    await controller.reconciler.refresh(app);
    expect((await syncAndSettle(controller, app)).phase).toBe('Succeeded');

    await t.repo.commit({ 'deploy/a.yaml': configMap('a', '2') });
    const refreshed = await controller.reconciler.refresh(app);
    expect(refreshed.sync).toBe('OutOfSync');
    counted.requests.splice(0);
    expect((await syncAndSettle(controller, app)).phase).toBe('Succeeded');

    // What is left is the sync's own work, as Argo CD's: a dry run of every
    // task before any is applied, the applies, and one look at each result.
    const requestsFor = (name: string, method: string, dryRun: boolean) =>
      counted.requests.filter(
        r =>
          r.method === method &&
          r.path.endsWith(`/configmaps/${name}`) &&
          (r.query?.dryRun === 'All') === dryRun,
      ).length;
    for (const name of ['b', 'c']) {
      expect(requestsFor(name, 'PATCH', true)).toBe(1);
      expect(requestsFor(name, 'PATCH', false)).toBe(1);
      expect(requestsFor(name, 'GET', false)).toBe(1);
    }
    expect(
      (await controller.statuses.readStatuses([app.name])).get(app.name)?.sync,
    ).toBe('Synced');
  });
});
