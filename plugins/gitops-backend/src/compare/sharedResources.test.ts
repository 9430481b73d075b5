import { mockServices } from '@backstage/backend-test-utils';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { configMap, yaml } from '../__testUtils__/manifests';
import { LoopFixture, useLoopFixture } from '../__testUtils__/loopFixture';
import { createReconcileLoop } from '../__testUtils__/reconcileLoop';
import { ResourceState } from './compareApplication';
import { createSharedResources } from './sharedResources';

jest.setTimeout(180_000);

const TRACKING_ID = 'argocd.argoproj.io/tracking-id';

// A database migration as Argo CD's hook documentation writes it.
const migration = (deletePolicy: string) =>
  yaml({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'migrate',
      annotations: {
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': deletePolicy,
      },
    },
    spec: {
      backoffLimit: 0,
      template: {
        spec: {
          containers: [
            { name: 'migrate', image: 'busybox:1.36', command: ['true'] },
          ],
          restartPolicy: 'Never',
        },
      },
    },
  });

/** Two applications of one repository, each with its own loop, one database. */
async function twoApplications(
  f: LoopFixture,
  syncPolicyOfBeta: ApplicationDefinition['syncPolicy'] = {},
) {
  const automated = { prune: false, selfHeal: false, allowEmpty: false };
  const alpha = f.application('alpha', 'alpha', { automated });
  const beta = f.application('beta', 'beta', {
    automated,
    ...syncPolicyOfBeta,
  });
  return {
    alpha,
    beta,
    loopA: await createReconcileLoop({
      ...f,
      app: () => alpha,
      others: () => [beta],
    }),
    loopB: await createReconcileLoop({
      ...f,
      app: () => beta,
      others: () => [alpha],
    }),
  };
}

describe('two applications rendering the same object', () => {
  const fixture = useLoopFixture('shared');

  it('warns on both, and FailOnSharedResource=true refuses to take it over', async () => {
    const { repo, namespace, cluster } = fixture();
    await repo.commit({
      'alpha/settings.yaml': configMap('settings'),
      'beta/settings.yaml': configMap('settings'),
      'beta/own.yaml': configMap('beta-own'),
    });
    const { alpha, beta, loopA, loopB } = await twoApplications(fixture(), {
      syncOptions: ['FailOnSharedResource=true'],
    });
    await loopA.refresh();
    await loopA.settle();
    expect((await loopA.latestOperation()).phase).toBe('Succeeded');

    const seenByBeta = await loopB.refresh();
    expect(seenByBeta.conditions).toEqual([
      {
        type: 'SharedResourceWarning',
        message: `ConfigMap/${namespace}/settings is part of applications ${beta.name} and ${alpha.name}`,
      },
    ]);
    await loopB.settle();
    const refused = await loopB.latestOperation();
    expect(refused.phase).toBe('Failed');
    expect(refused.message).toBe(
      `ConfigMap/${namespace}/settings is already managed by application ${alpha.name} (FailOnSharedResource=true)`,
    );
    const live = await cluster.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace,
      name: 'settings',
    });
    expect(
      (live?.metadata.annotations as Record<string, string>)[TRACKING_ID],
    ).toBe(`${alpha.name}:/ConfigMap:${namespace}/settings`);

    // The application that holds it learns from the other's comparison,
    // and stays Synced: a warning is no drift.
    const seenByAlpha = await loopA.refresh();
    expect(seenByAlpha.sync).toBe('Synced');
    expect(seenByAlpha.conditions).toEqual([
      {
        type: 'SharedResourceWarning',
        message: `ConfigMap/${namespace}/settings is part of applications ${alpha.name} and ${beta.name}`,
      },
    ]);
  });

  it.each(['HookFailed', 'BeforeHookCreation'])(
    'never follows, rewrites or deletes the other application’s hook Job (%s)',
    async deletePolicy => {
      const { repo, namespace, cluster } = fixture();
      await repo.commit({
        'alpha/migrate.yaml': migration(deletePolicy),
        'alpha/settings.yaml': configMap('alpha-settings'),
        'beta/migrate.yaml': migration(deletePolicy),
        'beta/settings.yaml': configMap('beta-settings'),
      });
      const { alpha, beta, loopA, loopB } = await twoApplications(fixture());
      const job = () =>
        cluster.get({
          apiVersion: 'batch/v1',
          kind: 'Job',
          namespace,
          name: 'migrate',
        });
      await loopA.refresh();
      await loopA.settle();
      expect((await loopA.latestOperation()).phase).toBe('Succeeded');
      const alphasRun = await job();
      expect(alphasRun).toBeDefined();

      const seenByBeta = await loopB.refresh();
      expect(seenByBeta.conditions).toEqual([
        {
          type: 'SharedResourceWarning',
          message: `Job/${namespace}/migrate is part of applications ${beta.name} and ${alpha.name}`,
        },
      ]);
      await loopB.settle();
      const betasSync = await loopB.latestOperation();
      expect(betasSync.phase).toBe('Failed');
      const detail = await loopB.operations.getOperation(
        beta.name,
        betasSync.id,
      );
      const hook = detail?.tasks.find(t => t.name === 'migrate');
      expect([hook?.status, hook?.hookPhase]).toEqual(['SyncFailed', 'Failed']);
      expect(hook?.message).toContain(
        `Job/${namespace}/migrate: the live object belongs to application ${alpha.name}, so this hook was not run`,
      );
      // Alpha's run is untouched: the same object, still alpha's.
      const after = await job();
      expect(after?.metadata.uid).toBe(alphasRun?.metadata.uid);
      expect(
        (after?.metadata.annotations as Record<string, string>)[TRACKING_ID],
      ).toBe(`${alpha.name}:batch/Job:${namespace}/migrate`);
      expect(
        await cluster.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace,
          name: 'beta-settings',
        }),
      ).toBeUndefined();

      const seenByAlpha = await loopA.refresh();
      expect(seenByAlpha.conditions).toEqual([
        {
          type: 'SharedResourceWarning',
          message: `Job/${namespace}/migrate is part of applications ${alpha.name} and ${beta.name}`,
        },
      ]);
    },
  );
});

describe('the other half of a SharedResourceWarning', () => {
  const app = (name: string, cluster: string): ApplicationDefinition => ({
    name,
    origin: 'config',
    entityRefs: [],
    source: {
      repoURL: 'https://git.example.com/shop.git',
      path: 'deploy',
      targetRevision: 'HEAD',
    },
    destination: { cluster, namespace: 'shop' },
  });

  it('counts only applications on the same destination cluster', async () => {
    const shared = createSharedResources({
      resources: {
        listClaims: async () => [
          { application: 'staging-copy', key: '/ConfigMap/shop/settings' },
          { application: 'prod-copy', key: '/ConfigMap/shop/settings' },
        ],
      },
      applications: {
        readDefinitions: async () => ({
          applications: [
            app('shop', 'staging'),
            app('staging-copy', 'staging'),
            app('prod-copy', 'prod'),
          ],
          problems: [],
        }),
      },
      auth: mockServices.auth(),
    });
    const resource = {
      key: '/ConfigMap/shop/settings',
      kind: 'ConfigMap',
      namespace: 'shop',
      name: 'settings',
      extraneous: false,
    };
    expect(
      await shared.conditions(app('shop', 'staging'), {
        resources: [resource as ResourceState],
        hooks: [],
      }),
    ).toEqual([
      {
        type: 'SharedResourceWarning',
        message:
          'ConfigMap/shop/settings is part of applications shop and staging-copy',
      },
    ]);
  });
});
