import { compareResource } from '../engine/diff';
import { service } from '../engine/diff/__testing__/objects';
import { createSchemaEpochs } from '../cluster/liveCache/schemaEpochs';
import { ComparisonInputs, createComparisonMemo } from './comparisonMemo';

const comparison = () =>
  compareResource({
    desired: service(),
    live: service(),
    manifest: service(),
  });
const inputs = (over: Partial<ComparisonInputs> = {}): ComparisonInputs => ({
  desired: service(),
  resourceVersion: '100',
  settings: 's',
  ...over,
});

describe('createComparisonMemo', () => {
  it('gives back a result only for the very same inputs', () => {
    const memo = createComparisonMemo();
    const value = { comparison: comparison(), conditions: [] };
    memo.recall('app', 'k', inputs()).remember(value);
    expect(memo.recall('app', 'k', inputs()).value).toBe(value);
    const changed = service();
    changed.metadata.labels = { tier: 'web' };
    for (const other of [
      inputs({ desired: changed }),
      inputs({ resourceVersion: '101' }),
      inputs({ settings: 't' }),
    ]) {
      expect(memo.recall('app', 'k', other).value).toBeUndefined();
    }
    expect(memo.recall('other-app', 'k', inputs()).value).toBeUndefined();
  });

  it('forgets resources no longer desired, and an application on request', () => {
    const memo = createComparisonMemo();
    const value = { comparison: comparison(), conditions: [] };
    for (const key of ['a', 'b', 'c']) {
      memo.recall('app', key, inputs()).remember(value);
    }
    memo.recall('other', 'a', inputs()).remember(value);
    memo.keepOnly('app', ['a', 'c']);
    expect(memo.size()).toBe(3);
    expect(memo.recall('app', 'b', inputs()).value).toBeUndefined();
    memo.forget('app');
    expect(memo.size()).toBe(1);
    expect(memo.recall('other', 'a', inputs()).value).toBe(value);
    memo.recall('third', 'a', inputs()).remember(value);
    memo.keepApplications(['third', 'gone']);
    expect(memo.size()).toBe(1);
    expect(memo.recall('third', 'a', inputs()).value).toBe(value);
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const memo = createComparisonMemo({ maxEntries: 2 });
    const value = { comparison: comparison(), conditions: [] };
    memo.recall('app', 'a', inputs()).remember(value);
    memo.recall('app', 'b', inputs()).remember(value);
    memo.recall('app', 'a', inputs());
    memo.recall('app', 'c', inputs()).remember(value);
    expect(memo.size()).toBe(2);
    expect(memo.recall('app', 'b', inputs()).value).toBeUndefined();
    expect(memo.recall('app', 'a', inputs()).value).toBe(value);
    // An evicted entry leaves no trace in the per-application index.
    memo.forget('app');
    expect(memo.size()).toBe(0);
  });
});

describe('createSchemaEpochs', () => {
  const crd = (group: string, kind: string) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.${group}` },
    spec: { group, names: { kind } },
  });

  it('moves a kind on by its own CRD, its group APIService and mutating admission only', () => {
    const epochs = createSchemaEpochs();
    const widget = () => epochs.epochOf('example.com/v1', 'Widget');
    const configMaps = () => epochs.epochOf('v1', 'ConfigMap');
    const start = [widget(), configMaps()];

    epochs.changed(crd('other.example.com', 'Widget'));
    epochs.changed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} });
    expect([widget(), configMaps()]).toEqual(start);

    epochs.changed(crd('example.com', 'Widget'));
    expect(widget()).not.toBe(start[0]);
    expect(configMaps()).toBe(start[1]);

    const beforeService = widget();
    epochs.changed({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.example.com' },
      spec: { group: 'example.com' },
    });
    expect(widget()).not.toBe(beforeService);
    expect(configMaps()).toBe(start[1]);

    epochs.changed({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'inject' },
    });
    expect(configMaps()).not.toBe(start[1]);

    const beforeList = configMaps();
    epochs.listed('CustomResourceDefinition', 'apiextensions.k8s.io/v1');
    expect(configMaps()).not.toBe(beforeList);
  });
});
