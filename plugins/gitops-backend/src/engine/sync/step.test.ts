import {
  DELETE_POLICY,
  SYNC_OPTIONS,
  annotate,
  configMap,
  deployment,
  hook,
  job,
  namespace,
  outcomes,
  plan,
  service,
  simulate,
  tracked,
  wave,
} from './__testing__/simulate';
import { nextStep, requestTermination } from './step';

const progressingFor =
  (ticks: number, pattern: RegExp) => (key: string, age: number) => {
    if (!/\/(Deployment|Job)\//.test(key)) {
      return undefined;
    }
    return pattern.test(key) && age < ticks
      ? { status: 'Progressing' as const }
      : { status: 'Healthy' as const };
  };
const stepOf = (steps: string[][], entry: string) =>
  steps.findIndex(actions => actions.includes(entry));

describe('waves', () => {
  const desired = [
    wave(deployment('api'), 1),
    deployment('web'),
    service('web'),
    wave(configMap('settings'), -1),
    wave(namespace('tools'), -1),
  ];

  it('dry-runs everything, then applies waves -1, 0, 1 in kind order', () => {
    const { state, log } = simulate(plan(desired));
    expect(log).toEqual([
      'dry-run Namespace/tools',
      'dry-run ConfigMap/settings',
      'dry-run Service/web',
      'dry-run Deployment/web',
      'dry-run Deployment/api',
      'apply Namespace/tools',
      'apply ConfigMap/settings',
      'apply Service/web',
      'apply Deployment/web',
      'apply Deployment/api',
    ]);
    expect(state.phase).toBe('Succeeded');
    expect(state.message).toBe('successfully synced (all tasks run)');
  });

  it('starts a wave only when the previous one is healthy', () => {
    const { steps, states } = simulate(plan(desired), {
      health: progressingFor(3, /Deployment\/shop\/web/),
    });
    const web = stepOf(steps, 'apply Deployment/web');
    const api = stepOf(steps, 'apply Deployment/api');
    expect(api - web).toBe(4);
    expect(states[web + 1].message).toBe(
      'waiting for healthy state of Deployment/shop/web',
    );
    expect(states[web + 1].cursor).toEqual({
      stage: 'sync',
      phase: 'Sync',
      wave: 0,
    });
  });

  it('fails on a Degraded resource and starts no later wave', () => {
    const { state, log } = simulate(plan(desired), {
      health: key =>
        key.includes('Deployment/shop/web')
          ? { status: 'Degraded', message: 'ProgressDeadlineExceeded' }
          : undefined,
    });
    expect(log).not.toContain('apply Deployment/api');
    expect(state.phase).toBe('Failed');
    expect(state.message).toBe(
      'one or more synchronization tasks completed unsuccessfully, reason: ' +
        'Deployment/shop/web: Degraded: ProgressDeadlineExceeded',
    );
  });

  it('counts Suspended and resources without health as done', () => {
    const { state, log } = simulate(plan(desired), {
      health: key =>
        key.includes('Deployment') ? { status: 'Suspended' } : undefined,
    });
    expect(log).toContain('apply Deployment/api');
    expect(state.phase).toBe('Succeeded');
  });

  it('does not wait for the health of the last wave', () => {
    const { state } = simulate(plan([deployment('web')]), {
      health: () => ({ status: 'Progressing' }),
    });
    expect(state.phase).toBe('Succeeded');
    expect(outcomes(state)).toEqual({ 'Sync:Deployment/web': 'Synced' });
  });

  it('fails when an apply fails, naming the object', () => {
    const { state, log } = simulate(plan(desired), {
      fail: a =>
        a.type === 'apply' && !a.dryRun && a.key.endsWith('/web')
          ? 'admission webhook denied the request'
          : undefined,
    });
    expect(log).not.toContain('apply Deployment/api');
    expect(state.phase).toBe('Failed');
    expect(state.message).toContain(
      'one or more objects failed to apply, reason: ' +
        'Service/shop/web: apply failed: admission webhook denied the request',
    );
  });

  it('changes nothing when the validation dry run fails', () => {
    const { state, log } = simulate(plan(desired), {
      fail: a =>
        a.type === 'apply' && a.dryRun && a.key.endsWith('/api')
          ? 'spec.replicas: Invalid value'
          : undefined,
    });
    expect(log.filter(entry => !entry.startsWith('dry-run'))).toEqual([]);
    expect(state.phase).toBe('Failed');
    expect(state.message).toBe(
      'one or more objects failed to apply (dry run), reason: ' +
        'Deployment/shop/api: dry run failed: spec.replicas: Invalid value',
    );
  });
});

describe('hooks', () => {
  const migrate = hook(job('migrate'), 'PreSync');
  const smoke = hook(job('smoke'), 'PostSync');
  const cleanup = hook(job('cleanup'), 'SyncFail');

  it('runs PreSync before resources and PostSync once they are healthy', () => {
    const { state, log, steps } = simulate(
      plan([smoke, deployment('web'), migrate]),
      { health: progressingFor(2, /Deployment|migrate/) },
    );
    expect(log).toEqual([
      'dry-run Deployment/web',
      'apply Job/migrate',
      'apply Deployment/web',
      'apply Job/smoke',
    ]);
    expect(stepOf(steps, 'apply Deployment/web')).toBe(
      stepOf(steps, 'apply Job/migrate') + 3,
    );
    expect(stepOf(steps, 'apply Job/smoke')).toBe(
      stepOf(steps, 'apply Deployment/web') + 3,
    );
    expect(state.phase).toBe('Succeeded');
    expect(outcomes(state)).toEqual({
      'PreSync:Job/migrate': 'Synced/Succeeded',
      'Sync:Deployment/web': 'Synced',
      'PostSync:Job/smoke': 'Synced/Succeeded',
    });
  });

  it('runs a hook annotated PreSync,PostSync twice', () => {
    const both = annotate(
      hook(job('check'), 'PreSync,PostSync'),
      DELETE_POLICY,
      'HookSucceeded',
    );
    const { log } = simulate(plan([both, deployment('web')]));
    expect(log.filter(entry => !entry.startsWith('dry-run'))).toEqual([
      'apply Job/check',
      'delete-hook(HookSucceeded) Job/check',
      'apply Deployment/web',
      'apply Job/check',
      'delete-hook(HookSucceeded) Job/check',
    ]);
  });

  it('runs SyncFail hooks after a failed PreSync hook, then fails', () => {
    const { state, log } = simulate(
      plan([migrate, deployment('web'), cleanup]),
      {
        health: key =>
          key.includes('migrate')
            ? { status: 'Degraded', message: 'BackoffLimitExceeded' }
            : { status: 'Healthy' },
      },
    );
    expect(log).toEqual([
      'dry-run Deployment/web',
      'apply Job/migrate',
      'apply Job/cleanup',
    ]);
    expect(state.phase).toBe('Failed');
    expect(state.message).toBe(
      'one or more synchronization tasks completed unsuccessfully, reason: ' +
        'Job/shop/migrate: hook failed: BackoffLimitExceeded',
    );
    expect(outcomes(state)).toEqual({
      'PreSync:Job/migrate': 'Synced/Failed',
      'Sync:Deployment/web': 'Pending',
      'SyncFail:Job/cleanup': 'Synced/Succeeded',
    });
  });

  it('does not run SyncFail hooks when the sync succeeds', () => {
    const { state, log } = simulate(
      plan([migrate, deployment('web'), cleanup]),
    );
    expect(log).not.toContain('apply Job/cleanup');
    expect(state.phase).toBe('Succeeded');
  });

  it('says so when a SyncFail hook fails too', () => {
    const { state } = simulate(plan([migrate, cleanup]), {
      health: () => ({ status: 'Degraded', message: 'exit 1' }),
    });
    expect(state.message).toBe(
      'one or more synchronization tasks completed unsuccessfully, reason: ' +
        'Job/shop/migrate: hook failed: exit 1; SyncFail hooks failed: ' +
        'Job/shop/cleanup: hook failed: exit 1',
    );
  });

  it('deletes a hook after it succeeded with HookSucceeded', () => {
    const { log } = simulate(
      plan([
        annotate(migrate, DELETE_POLICY, 'HookSucceeded'),
        deployment('web'),
      ]),
    );
    expect(log).toEqual([
      'dry-run Deployment/web',
      'apply Job/migrate',
      'delete-hook(HookSucceeded) Job/migrate',
      'apply Deployment/web',
    ]);
  });

  it('deletes a failed hook with HookFailed, and keeps it with HookSucceeded', () => {
    const degraded = () => ({ status: 'Degraded' as const });
    const failed = simulate(
      plan([annotate(migrate, DELETE_POLICY, 'HookFailed')]),
      { health: degraded },
    );
    expect(failed.log).toEqual([
      'apply Job/migrate',
      'delete-hook(HookFailed) Job/migrate',
    ]);
    const kept = simulate(
      plan([annotate(migrate, DELETE_POLICY, 'HookSucceeded')]),
      { health: degraded },
    );
    expect(kept.log).toEqual(['apply Job/migrate']);
  });

  it('deletes the previous run first with BeforeHookCreation, and waits for it to go', () => {
    const { log, steps, states } = simulate(plan([migrate]), {
      existing: [job('migrate')],
      deletionLag: 2,
    });
    expect(log).toEqual([
      'delete-hook(BeforeHookCreation) Job/migrate',
      'apply Job/migrate',
    ]);
    const deleted = stepOf(
      steps,
      'delete-hook(BeforeHookCreation) Job/migrate',
    );
    expect(stepOf(steps, 'apply Job/migrate')).toBe(deleted + 3);
    expect(states[deleted + 1].message).toBe(
      'waiting for deletion of the previous run of hook Job/shop/migrate',
    );
  });

  it('applies over an existing named hook without BeforeHookCreation', () => {
    const { log, state } = simulate(
      plan([annotate(migrate, DELETE_POLICY, 'HookFailed')]),
      { existing: [job('migrate')] },
    );
    expect(log).toEqual(['apply Job/migrate']);
    expect(state.phase).toBe('Succeeded');
  });
});

describe('pruning', () => {
  const live = [
    tracked(wave(configMap('old-a'), -1)),
    tracked(wave(deployment('old-b'), 2)),
    tracked(configMap('old-c')),
    tracked(configMap('not-ours'), 'other-app'),
  ];

  it('records PruneSkipped and deletes nothing when prune is off', () => {
    const { state, log } = simulate(plan([deployment('web')], { live }), {
      existing: live,
    });
    expect(log.some(entry => entry.startsWith('delete'))).toBe(false);
    expect(outcomes(state)).toEqual({
      'Sync:ConfigMap/old-a': 'PruneSkipped',
      'Sync:Deployment/old-b': 'PruneSkipped',
      'Sync:ConfigMap/old-c': 'PruneSkipped',
      'Sync:Deployment/web': 'Synced',
    });
    expect(state.tasks.find(t => t.name === 'old-a')?.message).toBe(
      'ignored (requires pruning)',
    );
  });

  it('prunes in reverse waves, PruneLast after everything', () => {
    const last = tracked(
      annotate(configMap('old-last'), SYNC_OPTIONS, 'PruneLast=true'),
    );
    const keep = tracked(
      annotate(configMap('keep'), SYNC_OPTIONS, 'Prune=false'),
    );
    const all = [...live, last, keep];
    const { state, log } = simulate(
      plan([deployment('web')], { live: all, options: { prune: true } }),
      { existing: all },
    );
    expect(log).toEqual([
      'dry-run Deployment/web',
      'delete Deployment/old-b',
      'delete ConfigMap/old-c',
      'apply Deployment/web',
      'delete ConfigMap/old-a',
      'delete ConfigMap/old-last',
    ]);
    expect(state.phase).toBe('Succeeded');
    expect(outcomes(state)).toMatchObject({
      'Sync:Deployment/old-b': 'Pruned',
      'Sync:ConfigMap/old-last': 'Pruned',
      'Sync:ConfigMap/keep': 'PruneSkipped',
    });
  });

  it('prunes within a wave in reverse sync order, before applying', () => {
    const old = [tracked(configMap('old-a')), tracked(deployment('old-b'))];
    const { log } = simulate(
      plan([configMap('settings')], { live: old, options: { prune: true } }),
      { existing: old },
    );
    expect(log).toEqual([
      'dry-run ConfigMap/settings',
      'delete Deployment/old-b',
      'delete ConfigMap/old-a',
      'apply ConfigMap/settings',
    ]);
  });

  it('waits for a pruned object to be gone before the next wave', () => {
    const old = tracked(configMap('old'));
    const { steps, states } = simulate(
      plan([wave(deployment('web'), 1)], {
        live: [old],
        options: { prune: true },
      }),
      { existing: [old], deletionLag: 2 },
    );
    const deleted = stepOf(steps, 'delete ConfigMap/old');
    expect(stepOf(steps, 'apply Deployment/web')).toBe(deleted + 3);
    expect(states[deleted + 1].message).toBe(
      'waiting for deletion of ConfigMap/shop/old',
    );
  });
});

describe('options', () => {
  const desired = [
    hook(job('migrate'), 'PreSync'),
    deployment('web'),
    deployment('api'),
  ];

  it('runs no hooks in a selective sync', () => {
    const { log, state } = simulate(
      plan(desired, { options: { resources: ['apps/Deployment/shop/web'] } }),
    );
    expect(log).toEqual(['dry-run Deployment/web', 'apply Deployment/web']);
    expect(outcomes(state)).toEqual({ 'Sync:Deployment/web': 'Synced' });
  });

  it('applies only OutOfSync resources with ApplyOutOfSyncOnly', () => {
    const { log } = simulate(
      plan(desired, {
        options: { syncOptions: ['ApplyOutOfSyncOnly=true'] },
        comparison: {
          'apps/Deployment/shop/web': 'Synced',
          'apps/Deployment/shop/api': 'OutOfSync',
        },
      }),
    );
    expect(log).toEqual([
      'dry-run Deployment/api',
      'apply Job/migrate',
      'apply Deployment/api',
    ]);
  });

  it('dry-runs every apply, runs no hook and prunes nothing in a dry run', () => {
    const old = tracked(configMap('old'));
    const { log, state } = simulate(
      plan(desired, { live: [old], options: { dryRun: true, prune: true } }),
      { existing: [old] },
    );
    expect(log).toEqual(['dry-run Deployment/api', 'dry-run Deployment/web']);
    expect(state.phase).toBe('Succeeded');
    expect(state.message).toBe('successfully synced (dry run)');
    expect(outcomes(state)).toEqual({
      'PreSync:Job/migrate': 'Pending',
      'Sync:Deployment/web': 'Synced',
      'Sync:Deployment/api': 'Synced',
      'Sync:ConfigMap/old': 'Pruned',
    });
    expect(state.tasks.map(t => t.message)).toEqual([
      'not run in a dry run',
      'pruned (dry run)',
      'valid (dry run)',
      'valid (dry run)',
    ]);
  });
});

describe('terminate', () => {
  it('deletes running hooks, then fails with "terminated"', () => {
    const { state, log, states } = simulate(
      plan([hook(job('migrate'), 'PreSync'), deployment('web')]),
      {
        health: () => ({ status: 'Progressing' }),
        before: (step, current) =>
          step === 4 ? requestTermination(current) : current,
      },
    );
    expect(log).toEqual([
      'dry-run Deployment/web',
      'apply Job/migrate',
      'delete-hook(Terminate) Job/migrate',
    ]);
    expect(states.map(s => s.phase)).toContain('Terminating');
    expect(state.phase).toBe('Failed');
    expect(state.message).toBe('terminated');
    expect(outcomes(state)).toEqual({
      'PreSync:Job/migrate': 'Synced/Failed',
      'Sync:Deployment/web': 'Pending',
    });
  });

  it('leaves a finished operation alone', () => {
    const done = simulate(plan([deployment('web')])).state;
    expect(requestTermination(done)).toBe(done);
    expect(nextStep(done, {}, new Date())).toEqual({
      state: done,
      actions: [],
    });
  });
});

describe('retry', () => {
  const retry = {
    limit: 3,
    backoff: { duration: '5s', factor: 2, maxDuration: '3m' },
  };
  const failingApplies = (times: number) => {
    let failures = 0;
    return (a: { type: string; dryRun?: boolean }) =>
      a.type === 'apply' && !a.dryRun && failures++ < times
        ? 'conflict'
        : undefined;
  };

  it('waits the backoff, then restarts the whole sync', () => {
    const { state, log, waits } = simulate(
      plan([hook(job('migrate'), 'PreSync'), deployment('web')], {
        options: { retry },
      }),
      { fail: failingApplies(2) },
    );
    expect(log).toEqual([
      'dry-run Deployment/web',
      'apply Job/migrate FAILED',
      'dry-run Deployment/web',
      'apply Job/migrate FAILED',
      'dry-run Deployment/web',
      'apply Job/migrate',
      'apply Deployment/web',
    ]);
    expect(state.phase).toBe('Succeeded');
    expect(state.retryCount).toBe(2);
    const untils = [
      ...new Set(
        waits.flatMap(w => (w.type === 'wait' && w.until ? [w.until] : [])),
      ),
    ];
    const delays = state.attempts.map(
      (attempt, n) => Date.parse(untils[n]) - Date.parse(attempt.finishedAt),
    );
    expect(delays).toEqual([5000, 10000]);
  });

  it('fails for good when the retries are used up', () => {
    const { state, states } = simulate(
      plan([deployment('web')], {
        options: {
          retry: {
            ...retry,
            limit: 2,
            backoff: { ...retry.backoff, duration: '1m', factor: 10 },
          },
        },
      }),
      { fail: failingApplies(99) },
    );
    expect(state.phase).toBe('Failed');
    expect(state.retryCount).toBe(2);
    expect(state.attempts).toHaveLength(2);
    expect(state.message).toBe(
      'one or more objects failed to apply, reason: Deployment/shop/web: apply failed: conflict',
    );
    const scheduled = states
      .filter(s => s.nextAttemptAt)
      .map(
        s =>
          Date.parse(s.nextAttemptAt!) -
          Date.parse(s.attempts.at(-1)!.finishedAt),
      );
    expect([...new Set(scheduled)]).toEqual([60_000, 180_000]);
  });

  it('does not retry a terminated operation', () => {
    const { state } = simulate(
      plan([deployment('web')], { options: { retry } }),
      {
        fail: failingApplies(99),
        before: (step, s) => (step === 3 ? requestTermination(s) : s),
      },
    );
    expect(state.message).toBe('terminated');
    expect(state.nextAttemptAt).toBeUndefined();
  });
});

describe('resume', () => {
  const desired = [
    annotate(hook(job('migrate'), 'PreSync'), DELETE_POLICY, 'HookSucceeded'),
    wave(deployment('web'), 1),
    configMap('settings'),
    hook(job('smoke'), 'PostSync'),
  ];
  const live = [tracked(configMap('old'))];
  const scenario = {
    existing: live,
    health: progressingFor(2, /Deployment|Job/),
  };

  it('gives the same operation when the state is stored as JSON between steps', () => {
    const initial = plan(desired, { live, options: { prune: true } });
    const direct = simulate(initial, scenario);
    const stored = simulate(JSON.parse(JSON.stringify(initial)), {
      ...scenario,
      roundTrip: true,
    });
    expect(stored.log).toEqual(direct.log);
    expect(stored.state).toEqual(direct.state);
    expect(stored.state.phase).toBe('Succeeded');
  });

  it('repeats the actions whose results were lost', () => {
    const initial = plan(desired, { live, options: { prune: true } });
    const direct = simulate(initial, scenario);
    const applyStep = stepOf(direct.steps, 'apply Deployment/web');
    const lost = simulate(initial, { ...scenario, loseResultsOf: applyStep });
    expect(lost.steps[applyStep + 1]).toEqual(direct.steps[applyStep]);
    expect(lost.state.phase).toBe('Succeeded');
  });
});
