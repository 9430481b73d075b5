import {
  DriftSighting,
  SyncLoopState,
  describeLoop,
  observeSyncLoops,
} from './detect';

const replicas = (
  changeId: string,
  manager = 'kube-controller-manager',
): DriftSighting => ({
  resource: 'apps/Deployment/shop/web',
  group: 'apps',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
  path: '/spec/replicas',
  managers: [manager],
  changeId,
});

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

function run(
  steps: [number, DriftSighting[]][],
  start: SyncLoopState = { fights: [] },
) {
  let state = start;
  const loops = [];
  for (const [minute, sightings] of steps) {
    const result = observeSyncLoops(state, sightings, at(minute));
    state = result.state;
    loops.push(result.loops.map(l => `${l.path} by ${l.manager} x${l.count}`));
  }
  return { state, loops };
}

describe('observeSyncLoops', () => {
  it('finds a loop once the same field was set back three times by the same manager', () => {
    const { loops } = run([
      [0, [replicas('10')]],
      [1, []], // repaired by selfHeal: no drift
      [2, [replicas('12')]],
      [3, []],
      [4, [replicas('14')]],
    ]);
    expect(loops).toEqual([
      [],
      [],
      [],
      [],
      ['/spec/replicas by kube-controller-manager x3'],
    ]);
  });

  it('does not count the same change twice when refreshes see it again', () => {
    const { loops } = run([
      [0, [replicas('10')]],
      [0, [replicas('10')]],
      [1, [replicas('10')]],
    ]);
    expect(loops.flat()).toEqual([]);
  });

  it('keeps reporting the loop while the field drifts, and ends it once it does not', () => {
    const { loops, state } = run([
      [0, [replicas('10')]],
      [1, [replicas('12')]],
      [2, [replicas('14')]],
      [3, [replicas('14')]],
      [4, []],
    ]);
    expect(loops.map(l => l.length)).toEqual([0, 0, 1, 1, 0]);
    expect(state.fights).toHaveLength(1);
  });

  it('forgets fights not seen within the window', () => {
    const { loops, state } = run([
      [0, [replicas('10')]],
      [5, [replicas('12')]],
      [20, [replicas('14')]],
    ]);
    expect(loops.flat()).toEqual([]);
    expect(state.fights[0]).toMatchObject({
      count: 1,
      firstSeenAt: at(20).toISOString(),
    });
  });

  it('counts each manager and field on its own, and ignores drift without another manager', () => {
    const { loops } = run([
      [0, [replicas('10', 'a')]],
      [1, [replicas('12', 'b')]],
      [2, [replicas('14', 'a'), { ...replicas('14'), managers: [] }]],
    ]);
    expect(loops.flat()).toEqual([]);
  });

  it('survives a round trip through JSON, as it is stored between refreshes', () => {
    const first = run([
      [0, [replicas('10')]],
      [1, [replicas('12')]],
    ]);
    const { loops } = run(
      [[2, [replicas('14')]]],
      JSON.parse(JSON.stringify(first.state)),
    );
    expect(loops).toEqual([['/spec/replicas by kube-controller-manager x3']]);
  });
});

describe('describeLoop', () => {
  it('names the field and the manager, and suggests the ignoreDifferences entry', () => {
    const { state } = run([[0, [replicas('10')]]]);
    expect(describeLoop(state.fights[0])).toBe(
      'sync loop: selfHeal stopped for Deployment/shop/web: field /spec/replicas ' +
        'was set back by field manager "kube-controller-manager" 1 times since ' +
        '2026-01-01T12:00:00.000Z. To let it own the field, add to ignoreDifferences ' +
        '{group: apps, kind: Deployment, name: web, namespace: shop, jsonPointers: ' +
        '[/spec/replicas]} (or managedFieldsManagers: [kube-controller-manager]) and ' +
        'the sync option RespectIgnoreDifferences=true; or stop ' +
        '"kube-controller-manager" from changing it.',
    );
  });
});
