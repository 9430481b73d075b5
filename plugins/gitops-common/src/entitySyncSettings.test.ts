import { Entity } from '@backstage/catalog-model';
import { applicationFromEntity } from './entityApplication';

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'cart',
      annotations: {
        'gitops.backstage.io/repo-url': 'https://git.example.com/shop.git',
        ...annotations,
      },
    },
    spec: {},
  };
}

const read = (annotations: Record<string, string>) =>
  applicationFromEntity(component(annotations));

describe('sync settings from catalog annotations', () => {
  it('reads sync options, retry and ignoreDifferences, even without auto-sync', () => {
    const result = read({
      'gitops.backstage.io/sync-options':
        'CreateNamespace=true, RespectIgnoreDifferences=true',
      'gitops.backstage.io/sync-retry':
        'limit=3, duration=2s, factor=3, maxDuration=1m',
      'gitops.backstage.io/ignore-differences': [
        '- group: apps',
        '  kind: Deployment',
        '  jsonPointers: [/spec/replicas]',
        '- kind: ConfigMap',
        '  name: settings',
        '  managedFieldsManagers: [other-controller]',
      ].join('\n'),
    });
    expect(result.kind).toBe('application');
    if (result.kind !== 'application') return;
    expect(result.application.syncPolicy).toEqual({
      syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'],
      retry: {
        limit: 3,
        backoff: { duration: '2s', factor: 3, maxDuration: '1m' },
      },
    });
    expect(result.application.ignoreDifferences).toEqual([
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
      {
        kind: 'ConfigMap',
        name: 'settings',
        managedFieldsManagers: ['other-controller'],
      },
    ]);
  });

  it('keeps automated sync next to the other settings', () => {
    const result = read({
      'gitops.backstage.io/auto-sync': 'true',
      'gitops.backstage.io/self-heal': 'true',
      'gitops.backstage.io/sync-options': 'PruneLast=true',
      'gitops.backstage.io/ignore-differences':
        '[{"kind": "Service", "jsonPointers": ["/spec/clusterIP"]}]',
    });
    expect(result).toMatchObject({
      kind: 'application',
      application: {
        syncPolicy: {
          automated: { prune: false, selfHeal: true, allowEmpty: false },
          syncOptions: ['PruneLast=true'],
        },
        ignoreDifferences: [
          { kind: 'Service', jsonPointers: ['/spec/clusterIP'] },
        ],
      },
    });
  });

  it.each([
    [
      { 'gitops.backstage.io/sync-retry': 'duration=5s' },
      'annotation gitops.backstage.io/sync-retry: retry: limit=<number> is required',
    ],
    [
      { 'gitops.backstage.io/sync-retry': 'limit=2, tries=4' },
      'annotation gitops.backstage.io/sync-retry: retry: "tries=4" is not one of limit=…, duration=…, factor=…, maxDuration=…',
    ],
    [
      { 'gitops.backstage.io/sync-retry': 'limit=two' },
      'annotation gitops.backstage.io/sync-retry: retry: limit must be a whole number, not "NaN"',
    ],
    [
      { 'gitops.backstage.io/sync-retry': 'limit=2, duration=5 seconds' },
      'annotation gitops.backstage.io/sync-retry: retry: duration "5 seconds" is not a duration such as 5s or 3m',
    ],
    [
      { 'gitops.backstage.io/sync-retry': 'limit=2, factor=0' },
      'annotation gitops.backstage.io/sync-retry: retry: factor must be a number above 0, not "0"',
    ],
    [
      { 'gitops.backstage.io/ignore-differences': 'kind: [unclosed' },
      expect.stringContaining(
        'annotation gitops.backstage.io/ignore-differences is not YAML:',
      ),
    ],
    [
      { 'gitops.backstage.io/ignore-differences': 'kind: Deployment' },
      'annotation gitops.backstage.io/ignore-differences: ignoreDifferences must be a list of {group, kind, jsonPointers, …}',
    ],
    [
      {
        'gitops.backstage.io/ignore-differences':
          '- kind: Deployment\n  jsonPointer: [/spec/replicas]',
      },
      'annotation gitops.backstage.io/ignore-differences: ignoreDifferences[0]: unknown key(s) jsonPointer',
    ],
    [
      {
        'gitops.backstage.io/ignore-differences':
          '- group: apps\n  jsonPointers: [/spec/replicas]',
      },
      'annotation gitops.backstage.io/ignore-differences: ignoreDifferences[0].kind is required',
    ],
    [
      { 'gitops.backstage.io/ignore-differences': '- kind: Deployment' },
      'annotation gitops.backstage.io/ignore-differences: ignoreDifferences[0] ignores nothing: give jsonPointers, jqPathExpressions or managedFieldsManagers',
    ],
    [
      { 'gitops.backstage.io/sync-options': 'CreateNamespace true' },
      'sync option "CreateNamespace true" is not of the form Name=value',
    ],
  ])('refuses %j in words', (annotations, message) => {
    expect(read(annotations)).toEqual({ kind: 'problem', message });
  });
});
