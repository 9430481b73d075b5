import {
  configMap,
  hook,
  job,
  namespace,
  plan,
  simulate,
} from './__testing__/simulate';
import { SyncOperationState } from './types';

const order = (state: SyncOperationState) =>
  state.tasks.map(t => `${t.syncPhase}/${t.wave}/${t.kind}/${t.name}`);

describe('CreateNamespace=true', () => {
  const destination = { namespace: 'shop' };

  it('creates the destination namespace first, in PreSync, before PreSync hooks', () => {
    const state = plan(
      [configMap('settings'), hook(job('migrate'), 'PreSync')],
      {
        destination,
        options: { syncOptions: ['CreateNamespace=true'] },
      },
    );
    expect(order(state)).toEqual([
      'PreSync/0/Namespace/shop',
      'PreSync/0/Job/migrate',
      'Sync/0/ConfigMap/settings',
    ]);
    const [ns] = state.tasks;
    expect(ns).toMatchObject({ isHook: false, action: 'apply' });
    // Not tracked: a prune never deletes the namespace it was created for.
    expect(ns.manifest).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop' },
    });
    // Its objects cannot be dry-run before it exists.
    expect(state.tasks[2].skipDryRun).toBe(
      'namespace shop is created by this sync',
    );
  });

  it('comes before PreSync hooks in negative waves (Helm pre-install hooks of weight -2 and -1)', () => {
    const helmHook = (name: string, weight: string) => {
      const obj = job(name);
      obj.metadata.annotations = {
        'helm.sh/hook': 'pre-install',
        'helm.sh/hook-weight': weight,
      };
      return obj;
    };
    const state = plan(
      [
        configMap('settings'),
        helmHook('create-db', '-2'),
        helmHook('migrate', '-1'),
      ],
      { destination, options: { syncOptions: ['CreateNamespace=true'] } },
    );
    expect(order(state)).toEqual([
      'PreSync/-2/Namespace/shop',
      expect.stringMatching(/^PreSync\/-2\/Job\/create-db/),
      expect.stringMatching(/^PreSync\/-1\/Job\/migrate/),
      'Sync/0/ConfigMap/settings',
    ]);
    const run = simulate(state);
    expect(run.state.phase).toBe('Succeeded');
    const applied = run.log.filter(entry => entry.startsWith('apply '));
    expect(applied[0]).toContain('Namespace/shop');
  });

  it('puts managedNamespaceMetadata on it', () => {
    const state = plan([configMap('settings')], {
      destination: {
        namespace: 'shop',
        managedNamespaceMetadata: {
          labels: { team: 'payments' },
          annotations: { 'example.com/owner': 'payments' },
        },
      },
      options: { syncOptions: ['CreateNamespace=true'] },
    });
    expect(state.tasks[0].manifest?.metadata).toEqual({
      name: 'shop',
      labels: { team: 'payments' },
      annotations: { 'example.com/owner': 'payments' },
    });
  });

  it('does nothing without the option, without a destination namespace, or when Git has the Namespace', () => {
    expect(order(plan([configMap('settings')], { destination }))).toEqual([
      'Sync/0/ConfigMap/settings',
    ]);
    expect(
      order(
        plan([configMap('settings')], {
          options: { syncOptions: ['CreateNamespace=true'] },
        }),
      ),
    ).toEqual(['Sync/0/ConfigMap/settings']);
    expect(
      order(
        plan([namespace('shop'), configMap('settings')], {
          destination,
          options: { syncOptions: ['CreateNamespace=true'] },
        }),
      ),
    ).toEqual(['Sync/0/Namespace/shop', 'Sync/0/ConfigMap/settings']);
  });

  it('waits for the namespace to be healthy before the Sync phase', () => {
    const state = plan([configMap('settings')], {
      destination,
      options: { syncOptions: ['CreateNamespace=true'] },
    });
    const run = simulate(state, {
      health: key =>
        key.includes('/Namespace/') ? { status: 'Healthy' } : undefined,
    });
    expect(run.state.phase).toBe('Succeeded');
    const applied = run.log.filter(entry => entry.startsWith('apply '));
    expect(applied).toEqual([
      expect.stringContaining('Namespace'),
      expect.stringContaining('ConfigMap'),
    ]);
  });
});
