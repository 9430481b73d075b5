import {
  KIND_ORDER,
  OrderKey,
  PruneCandidate,
  SyncPhase,
  compareSyncOrder,
  groupIntoWaves,
  pruneOrder,
} from './ordering';

function task(
  kind: string,
  name: string,
  wave = 0,
  phase: SyncPhase = 'Sync',
): OrderKey {
  return { phase, wave, kind, name };
}

const label = (t: OrderKey) => `${t.phase}/${t.wave}/${t.kind}/${t.name}`;
const sorted = (tasks: OrderKey[]) =>
  [...tasks].sort(compareSyncOrder).map(label);

describe('compareSyncOrder', () => {
  it('orders by phase first, with SyncFail last', () => {
    expect(
      sorted([
        task('Job', 'fail', -10, 'SyncFail'),
        task('Job', 'post', -10, 'PostSync'),
        task('Deployment', 'web', -10),
        task('Job', 'pre', 10, 'PreSync'),
      ]),
    ).toEqual([
      'PreSync/10/Job/pre',
      'Sync/-10/Deployment/web',
      'PostSync/-10/Job/post',
      'SyncFail/-10/Job/fail',
    ]);
  });

  it('orders by wave within a phase, negative waves first', () => {
    expect(
      sorted([
        task('Namespace', 'a', 2),
        task('Widget', 'b', -1),
        task('Secret', 'c'),
      ]),
    ).toEqual(['Sync/-1/Widget/b', 'Sync/0/Secret/c', 'Sync/2/Namespace/a']);
  });

  it('orders by kind within a wave, custom resources last', () => {
    expect(
      sorted([
        task('Widget', 'a'),
        task('Deployment', 'a'),
        task('Service', 'a'),
        task('CustomResourceDefinition', 'a'),
        task('ConfigMap', 'a'),
        task('Namespace', 'z'),
        task('APIService', 'a'),
      ]),
    ).toEqual([
      'Sync/0/Namespace/z',
      'Sync/0/ConfigMap/a',
      'Sync/0/CustomResourceDefinition/a',
      'Sync/0/Service/a',
      'Sync/0/Deployment/a',
      'Sync/0/APIService/a',
      'Sync/0/Widget/a',
    ]);
  });

  it('orders by name within a kind, and unknown kinds together by name', () => {
    expect(
      sorted([
        task('Zebra', 'a'),
        task('Service', 'b'),
        task('Apple', 'b'),
        task('Service', 'a'),
      ]),
    ).toEqual([
      'Sync/0/Service/a',
      'Sync/0/Service/b',
      'Sync/0/Zebra/a',
      'Sync/0/Apple/b',
    ]);
  });

  it('keeps the gitops-engine kind list', () => {
    expect(KIND_ORDER).toHaveLength(35);
    expect(KIND_ORDER.slice(0, 3)).toEqual([
      'Namespace',
      'NetworkPolicy',
      'ResourceQuota',
    ]);
    expect(KIND_ORDER.indexOf('IngressClass')).toBe(
      KIND_ORDER.indexOf('Ingress') - 1,
    );
    expect(KIND_ORDER[KIND_ORDER.length - 1]).toBe('APIService');
  });

  it('is total: ties are broken by group and namespace', () => {
    const a = { ...task('Widget', 'x'), group: 'a.example.com' };
    const b = { ...task('Widget', 'x'), group: 'b.example.com' };
    expect(compareSyncOrder(a, b)).toBeLessThan(0);
    expect(compareSyncOrder(b, a)).toBeGreaterThan(0);
    const c = { ...task('Service', 'x'), namespace: 'a' };
    const d = { ...task('Service', 'x'), namespace: 'b' };
    expect(compareSyncOrder(c, d)).toBeLessThan(0);
    expect(compareSyncOrder(c, { ...c })).toBe(0);
  });
});

describe('pruneOrder', () => {
  const candidate = (
    name: string,
    wave: number,
    prune: boolean,
    pruneLast = false,
  ): PruneCandidate => ({ ...task('ConfigMap', name, wave), prune, pruneLast });
  const waves = (tasks: PruneCandidate[]) =>
    Object.fromEntries(tasks.map(t => [t.name, t.wave]));

  it('mirrors the waves of prune tasks, leaving others alone', () => {
    const tasks = [
      candidate('p-1', -1, true),
      candidate('p0', 0, true),
      candidate('p3', 3, true),
      candidate('p5', 5, true),
      candidate('keep', 3, false),
    ];
    expect(waves(pruneOrder(tasks))).toEqual({
      'p-1': 5,
      p0: 3,
      p3: 0,
      p5: -1,
      keep: 3,
    });
    expect(tasks[0].wave).toBe(-1);
  });

  it('keeps the middle wave of an odd count in place', () => {
    const tasks = [
      candidate('a', 1, true),
      candidate('b', 2, true),
      candidate('c', 7, true),
    ];
    expect(waves(pruneOrder(tasks))).toEqual({ a: 7, b: 2, c: 1 });
  });

  it('moves PruneLast tasks after the last Sync wave', () => {
    const tasks = [
      candidate('apply', 4, false),
      candidate('late', 0, true, true),
      candidate('early', 2, true),
      { ...candidate('hook', 9, false), phase: 'PostSync' as const },
    ];
    // As in Argo CD, PruneLast tasks take part in the mirroring first, so
    // `early` (wave 2) swaps with `late` (wave 0) before `late` moves on.
    expect(waves(pruneOrder(tasks))).toEqual({
      apply: 4,
      late: 5,
      early: 0,
      hook: 9,
    });
  });

  it('puts PruneLast in wave 1 when every wave is negative', () => {
    const tasks = [candidate('a', -4, false), candidate('b', -2, true, true)];
    expect(waves(pruneOrder(tasks)).b).toBe(1);
  });
});

describe('groupIntoWaves', () => {
  it('returns the ordered (phase, wave) groups', () => {
    const groups = groupIntoWaves([
      task('Deployment', 'web', 1),
      task('Job', 'migrate', 0, 'PreSync'),
      task('Service', 'web', 1),
      task('ConfigMap', 'cfg', 0),
      task('Job', 'smoke', 0, 'PostSync'),
    ]);
    expect(
      groups.map(g => ({
        phase: g.phase,
        wave: g.wave,
        names: g.tasks.map(t => `${t.kind}/${t.name}`),
      })),
    ).toEqual([
      { phase: 'PreSync', wave: 0, names: ['Job/migrate'] },
      { phase: 'Sync', wave: 0, names: ['ConfigMap/cfg'] },
      { phase: 'Sync', wave: 1, names: ['Service/web', 'Deployment/web'] },
      { phase: 'PostSync', wave: 0, names: ['Job/smoke'] },
    ]);
  });

  it('is empty for no tasks', () => {
    expect(groupIntoWaves([])).toEqual([]);
  });
});
