import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { configMap, deployment, yaml } from '../__testUtils__/manifests';
import { hookJob, useTestApplication } from '../__testUtils__/testApplication';

jest.setTimeout(240_000);

const HOOK = 'argocd.argoproj.io/hook';
const DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';

// One hook per delete policy, as Argo CD's resource-hooks guide writes them:
// all but HookSucceeded stay in the cluster after a successful sync.
const HOOKS = {
  'deploy/migrate.yaml': yaml(
    hookJob({ name: 'migrate' }, { [HOOK]: 'PreSync' }),
  ),
  'deploy/seed.yaml': yaml(
    hookJob(
      { name: 'seed' },
      { [HOOK]: 'PreSync', [DELETE_POLICY]: 'BeforeHookCreation' },
    ),
  ),
  'deploy/smoke.yaml': yaml(
    hookJob(
      { name: 'smoke' },
      { [HOOK]: 'PostSync', [DELETE_POLICY]: 'HookSucceeded' },
    ),
  ),
  'deploy/report.yaml': yaml(
    hookJob({ generateName: 'report-' }, { [HOOK]: 'PostSync' }),
  ),
  // Helm's own annotation, with no delete policy (Helm's default keeps it).
  'deploy/notify.yaml': yaml(
    hookJob({ name: 'notify' }, { 'helm.sh/hook': 'post-install' }),
  ),
};

describe('hooks left in the cluster after a sync', () => {
  const t = useTestApplication('hooks');
  let app: ApplicationDefinition;

  beforeEach(async () => {
    app = t.newApp('hooks');
    await t.repo.commit({
      'deploy/settings.yaml': configMap('settings'),
      'deploy/web.yaml': deployment('web'),
      ...HOOKS,
    });
  });

  const jobNames = async () =>
    (await t.list('batch/v1', 'Job')).map(j => j.metadata.name!).sort();

  it('are no drift: the next refresh is Synced, they are listed as hooks, and prune leaves them', async () => {
    const loop = await t.loop(() => app);
    const first = await loop.sync({ prune: true });
    expect(first.phase).toBe('Succeeded');
    const kept = await jobNames();
    expect(kept).toEqual([
      'migrate',
      'notify',
      expect.stringMatching(/^report-/),
      'seed',
    ]);

    const status = await loop.refresh();
    expect(status.sync).toBe('Synced');
    expect(status.health).toBe('Healthy');
    const resources = await loop.resources();
    expect(resources.filter(r => r.requiresPruning)).toEqual([]);
    const hooks = resources.filter(r => r.kind === 'Job');
    expect(
      hooks.map(r => [r.name, r.isHook, r.hookType, r.sync]).sort(),
    ).toEqual(
      [
        ['migrate', true, 'PreSync', undefined],
        ['notify', true, 'PostSync', undefined],
        [kept[2], true, 'PostSync', undefined],
        // Git's manifest, named once a sync runs it.
        ['report-*', true, 'PostSync', undefined],
        ['seed', true, 'PreSync', undefined],
        // Deleted by its HookSucceeded policy: only Git's manifest is left.
        ['smoke', true, 'PostSync', undefined],
      ].sort(),
    );
    // The run a delete policy kept is shown with its health.
    expect(hooks.find(r => r.name === kept[2])?.health).toBe('Healthy');

    // A second sync with prune runs the hooks again but deletes no run a
    // policy keeps: the first generateName run is still there.
    expect((await loop.sync({ prune: true })).phase).toBe('Succeeded');
    const after = await jobNames();
    expect(after).toContain(kept[2]);
    expect(after.filter(n => n.startsWith('report-'))).toHaveLength(2);
    expect((await loop.refresh()).sync).toBe('Synced');
  });

  it('do not make an automated application sync again and again', async () => {
    app = {
      ...app,
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
      },
    };
    const loop = await t.loop(() => app);
    expect((await loop.refresh()).sync).toBe('OutOfSync');
    await loop.settle();
    expect(await loop.latestOperation()).toMatchObject({
      initiatedBy: 'automated',
      phase: 'Succeeded',
    });
    const jobs = await jobNames();

    // Three scheduled passes later: still one sync, and no hook ran again.
    for (let pass = 0; pass < 3; pass++) {
      expect((await loop.refresh()).sync).toBe('Synced');
      await loop.settle();
    }
    expect(await loop.allOperations()).toHaveLength(1);
    expect(await jobNames()).toEqual(jobs);
  });
});
