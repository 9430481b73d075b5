import {
  configMap,
  deployment,
  hook,
  job,
  plan,
  simulate,
  tracked,
} from './__testing__/simulate';
import { restoreManifests } from './restore';
import { SyncOperationState } from './types';

// What OperationStore keeps: the state as JSON, without manifests.
function stored(state: SyncOperationState): SyncOperationState {
  const copy = JSON.parse(JSON.stringify(state)) as SyncOperationState;
  return {
    ...copy,
    tasks: copy.tasks.map(({ manifest: _m, ...task }) => task),
  };
}

describe('restoreManifests', () => {
  const generated = job('');
  generated.metadata = { generateName: 'migrate-', namespace: 'shop' } as any;
  const desired = [
    hook(generated, 'PreSync'),
    deployment('web'),
    configMap('settings'),
  ];
  const live = [tracked(configMap('old'))];

  it('gives back the manifests of a fresh plan, generated hook names included, and keeps the stored progress', () => {
    const original = plan(desired, { live, options: { prune: true } });
    const { states } = simulate(original);
    const midway = states[3];
    const restored = restoreManifests(
      stored(midway),
      plan(desired, { live: [], options: { prune: true } }),
    ) as SyncOperationState;
    expect(restored).not.toBeInstanceOf(Error);
    expect(restored).toEqual(midway);
    expect(
      restored.tasks.find(task => task.isHook)?.manifest?.metadata.name,
    ).toMatch(/^migrate-/);
  });

  it('finishes the operation after the restore, repeating the actions whose results were lost', () => {
    const original = plan(desired, { live, options: { prune: true } });
    const direct = simulate(original);
    const restored = restoreManifests(
      stored(direct.states[0]),
      plan(desired, { options: { prune: true } }),
    ) as SyncOperationState;
    const resumed = simulate(restored);
    expect(resumed.state.phase).toBe('Succeeded');
    expect(resumed.state.tasks.map(t => [t.id, t.status])).toEqual(
      direct.state.tasks.map(t => [t.id, t.status]),
    );
  });

  it('names the objects the revision no longer renders', () => {
    const original = plan(desired);
    const restored = restoreManifests(
      stored(original),
      plan([deployment('web')]),
    );
    expect(restored).toBeInstanceOf(Error);
    expect((restored as Error).message).toMatch(
      /^the desired state at revision 0123456789abcdef no longer holds/,
    );
    expect((restored as Error).message).toMatch(/ConfigMap\/shop\/settings/);
    expect((restored as Error).message).toMatch(/Job\/shop\/migrate-/);
  });
});
