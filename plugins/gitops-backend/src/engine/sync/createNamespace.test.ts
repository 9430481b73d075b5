import {
  configMap,
  hook,
  job,
  namespace,
  plan,
  simulate,
} from './__testing__/simulate';
import { Manifest } from '../manifest';
import { SyncOperationState } from './types';

/**
 * A Namespace as the API server returns it after our server-side apply of
 * `labels` (and the label Kubernetes adds itself, owned by no one).
 */
const liveNamespace = (
  name: string,
  labels: Record<string, string> = {},
  manager = 'backstage-gitops',
): Manifest => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name,
    uid: '6c1f4a8e-2d0b-4b7e-9c52-0f0e3c1d9a10',
    resourceVersion: '258',
    creationTimestamp: '2025-01-01T00:00:00Z',
    labels: { 'kubernetes.io/metadata.name': name, ...labels },
    managedFields:
      Object.keys(labels).length === 0
        ? undefined
        : [
            {
              manager,
              operation: 'Apply',
              apiVersion: 'v1',
              time: '2025-01-01T00:00:00Z',
              fieldsType: 'FieldsV1',
              fieldsV1: {
                'f:metadata': {
                  'f:labels': Object.fromEntries(
                    Object.keys(labels).map(key => [`f:${key}`, {}]),
                  ),
                },
              },
            },
          ],
  },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

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

  describe('when the namespace exists', () => {
    const options = { syncOptions: ['CreateNamespace=true'] };
    const managed = (labels: Record<string, string>) => ({
      namespace: 'shop',
      managedNamespaceMetadata: { labels },
      fieldManager: 'backstage-gitops',
    });

    it('leaves it alone without managedNamespaceMetadata, as Argo CD does, and dry-runs what goes in it', () => {
      const state = plan([configMap('settings')], {
        destination: { ...destination, liveNamespace: liveNamespace('shop') },
        options,
      });
      expect(order(state)).toEqual(['Sync/0/ConfigMap/settings']);
      expect(state.tasks[0].skipDryRun).toBeUndefined();
    });

    it('writes nothing when it already holds the managed metadata', () => {
      const state = plan([configMap('settings')], {
        destination: {
          ...managed({ team: 'payments' }),
          liveNamespace: liveNamespace('shop', { team: 'payments' }),
        },
        options,
      });
      expect(order(state)).toEqual(['Sync/0/ConfigMap/settings']);
    });

    it('applies the managed metadata when a value differs or is missing', () => {
      for (const live of [
        liveNamespace('shop', { team: 'billing' }),
        liveNamespace('shop'),
      ]) {
        const state = plan([configMap('settings')], {
          destination: {
            ...managed({ team: 'payments' }),
            liveNamespace: live,
          },
          options,
        });
        expect(order(state)).toEqual([
          'PreSync/0/Namespace/shop',
          'Sync/0/ConfigMap/settings',
        ]);
        expect(state.tasks[0].manifest?.metadata.labels).toEqual({
          team: 'payments',
        });
      }
    });

    it('applies it to remove a label it set that the metadata no longer has, not one someone else set', () => {
      const ours = liveNamespace('shop', { team: 'payments', tier: 'web' });
      expect(
        order(
          plan([], {
            destination: {
              ...managed({ team: 'payments' }),
              liveNamespace: ours,
            },
            options,
          }),
        ),
      ).toEqual(['PreSync/0/Namespace/shop']);
      const theirs = liveNamespace(
        'shop',
        { team: 'payments', tier: 'web' },
        'kubectl-client-side-apply',
      );
      expect(
        order(
          plan([], {
            destination: {
              ...managed({ team: 'payments' }),
              liveNamespace: theirs,
            },
            options,
          }),
        ),
      ).toEqual([]);
    });
  });
});
