import { newObject } from '../__testing__/builders';
import {
  DELETE_POLICY,
  HOOK,
  SYNC_OPTIONS,
  annotate,
  configMap,
  deployment,
  hook,
  job,
  namespace,
  plan,
  service,
  tracked,
  wave,
} from './__testing__/simulate';
import { SyncOperationState } from './types';

const order = (state: SyncOperationState) =>
  state.tasks.map(t => `${t.syncPhase}/${t.wave}/${t.kind}/${t.name}`);
const task = (state: SyncOperationState, name: string) =>
  state.tasks.find(t => t.name === name);

describe('planSync', () => {
  it('orders resources by wave, then kind, then name', () => {
    const state = plan([
      deployment('web'),
      wave(deployment('api'), -1),
      service('web'),
      configMap('b'),
      configMap('a'),
      wave(namespace('tools'), 2),
    ]);
    expect(order(state)).toEqual([
      'Sync/-1/Deployment/api',
      'Sync/0/ConfigMap/a',
      'Sync/0/ConfigMap/b',
      'Sync/0/Service/web',
      'Sync/0/Deployment/web',
      'Sync/2/Namespace/tools',
    ]);
    expect(state).toMatchObject({
      phase: 'Running',
      cursor: { stage: 'validate' },
      retryCount: 0,
      terminateRequested: false,
    });
  });

  it('makes one task per hook type and drops Skip and delete hooks', () => {
    const state = plan([
      hook(job('check'), 'PreSync,PostSync'),
      hook(job('never'), 'Skip'),
      hook(job('goodbye'), 'PostDelete'),
      hook(job('oops'), 'SyncFail'),
    ]);
    expect(order(state)).toEqual([
      'PreSync/0/Job/check',
      'PostSync/0/Job/check',
      'SyncFail/0/Job/oops',
    ]);
    expect(state.tasks.map(t => t.id)).toEqual([
      'PreSync:batch/Job/shop/check',
      'PostSync:batch/Job/shop/check',
      'SyncFail:batch/Job/shop/oops',
    ]);
    expect(task(state, 'check')).toMatchObject({
      isHook: true,
      hookType: 'PreSync',
      action: 'create-hook',
      deletePolicies: ['BeforeHookCreation'],
    });
  });

  it('names generateName hooks as Argo CD does: revision, phase, start time', () => {
    const generated = hook(
      {
        ...job(''),
        metadata: { generateName: 'migrate-', name: '', namespace: 'shop' },
      },
      'PreSync',
    );
    for (const n of [0, 3, -2]) {
      const state = plan([wave(generated, n)]);
      // Helm's pre-install weight -2 gives no "presync--2".
      expect(state.tasks[0].name).toBe('migrate-0123456-presync-1735689600');
      expect(state.tasks[0].manifest?.metadata.name).toBe(state.tasks[0].name);
    }
  });

  it('stamps the tracking id on what it applies', () => {
    const state = plan([deployment('web')]);
    expect(
      state.tasks[0].manifest?.metadata.annotations?.[
        'argocd.argoproj.io/tracking-id'
      ],
    ).toBe('shop:apps/Deployment:shop/web');
  });

  it('takes per-resource sync options over app-wide ones', () => {
    const state = plan(
      [
        deployment('web'),
        annotate(
          deployment('api'),
          SYNC_OPTIONS,
          'ServerSideApply=false,Replace=true',
        ),
      ],
      { options: { syncOptions: ['ServerSideApply=true'] } },
    );
    expect(task(state, 'web')).toMatchObject({
      serverSide: true,
      replace: false,
    });
    expect(task(state, 'api')).toMatchObject({
      serverSide: false,
      replace: true,
    });
  });

  it('plans only chosen resources and no hooks in a selective sync', () => {
    const state = plan(
      [hook(job('migrate'), 'PreSync'), deployment('web'), deployment('api')],
      {
        live: [tracked(configMap('old')), tracked(configMap('older'))],
        options: {
          prune: true,
          resources: ['apps/Deployment/shop/web', '/ConfigMap/shop/old'],
        },
      },
    );
    expect(order(state)).toEqual([
      'Sync/0/ConfigMap/old',
      'Sync/0/Deployment/web',
    ]);
  });

  it('leaves Synced resources out with ApplyOutOfSyncOnly, per resource too', () => {
    const comparison = {
      'apps/Deployment/shop/web': 'Synced' as const,
      'apps/Deployment/shop/api': 'Synced' as const,
    };
    const appWide = plan(
      [deployment('web'), deployment('api'), deployment('new')],
      {
        comparison,
        options: { syncOptions: ['ApplyOutOfSyncOnly=true'] },
      },
    );
    expect(appWide.tasks.map(t => t.name)).toEqual(['new']);
    const perResource = plan(
      [
        annotate(deployment('web'), SYNC_OPTIONS, 'ApplyOutOfSyncOnly=true'),
        deployment('api'),
      ],
      { comparison },
    );
    expect(perResource.tasks.map(t => t.name)).toEqual(['api']);
  });

  describe('pruning', () => {
    it('records PruneSkipped for everything when prune is off', () => {
      const state = plan([], { live: [tracked(configMap('old'))] });
      expect(task(state, 'old')).toMatchObject({
        action: 'prune',
        status: 'PruneSkipped',
        message: 'ignored (requires pruning)',
        progress: 'done',
      });
    });

    it('honours Prune=false and Prune=confirm', () => {
      const live = [
        tracked(annotate(configMap('keep'), SYNC_OPTIONS, 'Prune=false')),
        tracked(annotate(configMap('ask'), SYNC_OPTIONS, 'Prune=confirm')),
      ];
      const state = plan([deployment('web')], {
        live,
        options: { prune: true },
      });
      expect(task(state, 'keep')).toMatchObject({
        status: 'PruneSkipped',
        message: 'ignored (Prune=false)',
      });
      expect(task(state, 'ask')?.status).toBe('PruneSkipped');
      const confirmed = plan([deployment('web')], {
        live,
        options: { prune: true, pruneConfirmed: true },
      });
      expect(task(confirmed, 'ask')?.status).toBe('Pending');
    });

    it('never prunes what it does not own, old hook runs, or Skip objects', () => {
      const skipped = annotate(configMap('manual'), HOOK, 'Skip');
      const state = plan([skipped], {
        live: [
          tracked(configMap('theirs'), 'other-app'),
          configMap('untracked'),
          tracked(hook(job('migrate'), 'PreSync')),
          tracked(skipped),
        ],
        options: { prune: true },
      });
      expect(state.tasks).toEqual([]);
    });

    it('mirrors prune waves and puts PruneLast after the last wave', () => {
      const state = plan([wave(deployment('web'), 1)], {
        live: [
          tracked(wave(configMap('low'), -2)),
          tracked(wave(configMap('high'), 5)),
          tracked(annotate(configMap('last'), SYNC_OPTIONS, 'PruneLast=true')),
        ],
        options: { prune: true },
      });
      expect(order(state)).toEqual([
        'Sync/-2/ConfigMap/high',
        'Sync/1/Deployment/web',
        'Sync/5/ConfigMap/low',
        'Sync/6/ConfigMap/last',
      ]);
      expect(task(state, 'high')).toMatchObject({
        action: 'prune',
        ref: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'shop',
          name: 'high',
        },
        propagationPolicy: 'foreground',
      });
    });

    it('refuses an automated sync that would prune everything, unless allowEmpty', () => {
      const live = [tracked(configMap('a')), tracked(deployment('b'))];
      const automated = { prune: true, automated: true };
      const refused = plan([], { live, options: automated });
      expect(refused).toMatchObject({ phase: 'Failed', tasks: [] });
      expect(refused.message).toBe(
        'automated sync refused: it would prune all 2 resources of shop ' +
          'because Git has none; set allowEmpty to allow it',
      );
      const allowed = plan([], {
        live,
        options: { ...automated, allowEmpty: true },
      });
      expect(allowed.phase).toBe('Running');
      expect(plan([], { live, options: { prune: true } }).phase).toBe(
        'Running',
      );
      expect(plan([configMap('c')], { live, options: automated }).phase).toBe(
        'Running',
      );
    });
  });

  it('waits on every wave but a last one without hooks', () => {
    const plain = plan([deployment('a'), wave(deployment('b'), 1)]);
    expect(plain.tasks.map(t => t.waitUntilSettled)).toEqual([true, false]);
    const withPostSync = plan([
      deployment('a'),
      hook(job('smoke'), 'PostSync'),
    ]);
    expect(withPostSync.tasks.map(t => t.waitUntilSettled)).toEqual([
      true,
      true,
    ]);
  });

  it('skips the dry run of what this sync first creates', () => {
    const crd = {
      ...newObject(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
        'widgets.example.com',
      ),
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    };
    const state = plan([
      crd,
      newObject('example.com/v1', 'Widget', 'w', 'shop'),
      namespace('tools'),
      newObject('v1', 'ConfigMap', 'c', 'tools'),
      annotate(
        configMap('d'),
        SYNC_OPTIONS,
        'SkipDryRunOnMissingResource=true',
      ),
      configMap('e'),
    ]);
    expect(
      Object.fromEntries(state.tasks.map(t => [t.name, t.skipDryRun])),
    ).toEqual({
      tools: undefined,
      c: 'namespace tools is created by this sync',
      d: 'SkipDryRunOnMissingResource=true',
      e: undefined,
      'widgets.example.com': undefined,
      w: 'its CustomResourceDefinition is created by this sync',
    });
  });

  it('reports bad annotations and options as an Error naming the object', () => {
    const state = plan(
      [
        annotate(deployment('web'), 'argocd.argoproj.io/sync-wave', 'first'),
        annotate(hook(job('migrate'), 'PreSync'), DELETE_POLICY, 'Sometimes'),
      ],
      {
        options: {
          retry: {
            limit: 1,
            backoff: { duration: 'soon', factor: 2, maxDuration: '3m' },
          },
        },
      },
    );
    expect(state).toMatchObject({ phase: 'Error', tasks: [] });
    expect(state.message).toBe(
      'cannot plan the sync: ' +
        'Deployment/shop/web: annotation argocd.argoproj.io/sync-wave: "first" is not an integer; ' +
        'Job/shop/migrate: annotation argocd.argoproj.io/hook-delete-policy: "Sometimes" names an unknown delete policy "Sometimes"; ' +
        'retry backoff: "soon" is not a duration',
    );
  });

  it('reports a resource or hook that appears twice', () => {
    const twice = plan([configMap('a'), configMap('a')]);
    expect(twice).toMatchObject({
      phase: 'Error',
      message: 'cannot plan the sync: ConfigMap/shop/a: appears twice',
    });
    const hooks = plan([hook(job('m'), 'PreSync'), hook(job('m'), 'PreSync')]);
    expect(hooks.message).toBe(
      'cannot plan the sync: Job/shop/m: appears twice',
    );
  });
});
