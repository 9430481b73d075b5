import {
  DELETE_POLICY,
  START,
  SYNC_OPTIONS,
  annotate,
  configMap,
  hook,
  job,
  outcomes,
  plan,
  simulate,
  tracked,
} from './__testing__/simulate';
import { nextStep } from './step';

describe('FailOnSharedResource', () => {
  const ownedByOther = tracked(configMap('settings'), 'billing');

  it('fails the sync, naming the other application, when asked to', () => {
    const state = plan([configMap('settings'), configMap('other')], {
      live: [ownedByOther],
      options: { syncOptions: ['FailOnSharedResource=true'] },
    });
    expect(state.phase).toBe('Failed');
    expect(state.tasks).toEqual([]);
    expect(state.message).toBe(
      'ConfigMap/shop/settings is already managed by application billing (FailOnSharedResource=true)',
    );
  });

  it('honours the option per resource, and takes a shared resource over without it', () => {
    expect(
      plan(
        [
          annotate(
            configMap('settings'),
            SYNC_OPTIONS,
            'FailOnSharedResource=true',
          ),
        ],
        {
          live: [ownedByOther],
        },
      ).phase,
    ).toBe('Failed');
    const taken = plan([configMap('settings')], { live: [ownedByOther] });
    expect(taken.phase).toBe('Running');
    expect(taken.tasks.map(t => t.name)).toEqual(['settings']);
  });

  it('does not mind objects this application or nobody tracks', () => {
    const state = plan([configMap('settings'), configMap('free')], {
      live: [tracked(configMap('settings'), 'shop'), configMap('free')],
      options: { syncOptions: ['FailOnSharedResource=true'] },
    });
    expect(state.phase).toBe('Running');
  });
});

describe('a hook whose object another application owns', () => {
  const migrate = hook(job('migrate'), 'PreSync');

  it.each([
    ['BeforeHookCreation (the default)', migrate],
    ['HookSucceeded', annotate(migrate, DELETE_POLICY, 'HookSucceeded')],
  ])(
    'is neither deleted, applied over nor followed, under %s',
    (_, desired) => {
      const { state, log } = simulate(plan([desired, configMap('settings')]), {
        existing: [tracked(job('migrate'), 'billing')],
      });
      expect(state.phase).toBe('Failed');
      expect(outcomes(state)).toEqual({
        'PreSync:Job/migrate': 'SyncFailed/Failed',
        'Sync:ConfigMap/settings': 'Pending',
      });
      expect(log.filter(entry => entry.includes('Job/migrate'))).toEqual([]);
      expect(state.message).toContain(
        'Job/shop/migrate: the live object belongs to application billing, so this hook was not run',
      );
    },
  );

  it('runs as before over a previous run of its own', () => {
    const { state, log } = simulate(plan([migrate]), {
      existing: [tracked(job('migrate'))],
    });
    expect(state.phase).toBe('Succeeded');
    expect(log).toEqual([
      'delete-hook(BeforeHookCreation) Job/migrate',
      'apply Job/migrate',
    ]);
  });

  it('stops following when another application takes the name meanwhile', () => {
    const planned = plan([migrate]);
    const key = planned.tasks[0].key;
    const first = nextStep(
      planned,
      { resources: { [key]: { present: false } } },
      START,
    );
    expect(first.actions.map(a => a.type)).toEqual(['apply']);
    const next = nextStep(
      first.state,
      {
        results: [{ taskId: planned.tasks[0].id, type: 'apply', ok: true }],
        resources: {
          [key]: {
            present: true,
            health: { status: 'Healthy' },
            sharedWith: 'billing',
          },
        },
      },
      START,
    );
    expect(outcomes(next.state)).toEqual({
      'PreSync:Job/migrate': 'SyncFailed/Failed',
    });
  });

  it('waits to be looked at before anything is done to its name', () => {
    const step = nextStep(plan([migrate]), {}, START);
    expect(step.actions.map(a => a.type)).toEqual(['wait']);
  });
});
