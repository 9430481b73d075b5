import { Manifest } from '../manifest';
import { deployment, service } from './__testing__/objects';
import {
  IgnoreDifferencesRule,
  applyIgnoreRules,
  matchingRules,
} from './ignoreDifferences';

function withAnnotation(obj: Manifest, key: string, value: string): Manifest {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [key]: value },
    },
  };
}

describe('matchingRules', () => {
  const rules: IgnoreDifferencesRule[] = [
    { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    { kind: 'Service', name: 'cart' },
    { group: '', kind: 'Service', namespace: 'other' },
    {
      group: '*',
      kind: '*',
      managedFieldsManagers: ['kube-controller-manager'],
    },
    { group: 'apps', kind: 'Deployment', name: 'payments' },
  ];

  it('matches group (core when omitted), kind, and name and namespace if given', () => {
    expect(matchingRules(rules, deployment())).toEqual([rules[0], rules[3]]);
    expect(matchingRules(rules, service())).toEqual([rules[1], rules[3]]);
  });

  it('matches group and kind as globs', () => {
    const glob = { group: '*.k8s.io', kind: 'Cluster*' };
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
    };
    expect(matchingRules([glob], role)).toEqual([glob]);
    expect(matchingRules([glob], { ...role, kind: 'Role' })).toEqual([]);
    expect(matchingRules([glob], { ...role, apiVersion: 'v1' })).toEqual([]);
  });

  it('does not take an omitted group for "any group"', () => {
    const otherGroup = { ...service(), apiVersion: 'example.com/v1' };
    expect(matchingRules(rules, otherGroup)).toEqual([rules[3]]);
  });
});

describe('applyIgnoreRules', () => {
  it('removes a jsonPointer with a ~1 escape from both sides and lists it', () => {
    const key = 'example.com/last-scan';
    const desired = withAnnotation(deployment(), key, 'monday');
    const live = withAnnotation(deployment(), key, 'tuesday');
    const rules = [
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: ['/metadata/annotations/example.com~1last-scan'],
      },
    ];
    const result = applyIgnoreRules(desired, live, rules);
    expect(result.desired.metadata.annotations?.[key]).toBeUndefined();
    expect(result.live?.metadata.annotations?.[key]).toBeUndefined();
    expect(result.desired.metadata.annotations).toEqual(
      deployment().metadata.annotations,
    );
    expect(result.ignored).toEqual([
      {
        path: '/metadata/annotations/example.com~1last-scan',
        reason:
          'ignoreDifferences: jsonPointer /metadata/annotations/example.com~1last-scan',
        differs: true,
      },
    ]);
    expect(desired.metadata.annotations?.[key]).toBe('monday');
  });

  it('removes the fields a manager owns in live managedFields', () => {
    const live = deployment();
    live.metadata.managedFields = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
        subresource: 'scale',
      },
    ];
    (live.spec as { replicas: number }).replicas = 5;
    const rules = [
      {
        group: '*',
        kind: '*',
        managedFieldsManagers: ['kube-controller-manager'],
      },
    ];
    const result = applyIgnoreRules(deployment(), live, rules);
    expect(result.desired.spec).not.toHaveProperty('replicas');
    expect(result.live?.spec).not.toHaveProperty('replicas');
    expect(result.ignored).toEqual([
      {
        path: '/spec/replicas',
        reason:
          'ignoreDifferences: managedFieldsManagers kube-controller-manager',
        differs: true,
      },
    ]);
  });

  it('reports jq expressions and bad pointers instead of applying them', () => {
    const rules = [
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: ['spec/replicas', ''],
        jqPathExpressions: ['.spec.template.spec.initContainers[]?'],
      },
    ];
    const result = applyIgnoreRules(deployment(), deployment(), rules);
    expect(result.ignored).toEqual([]);
    expect(result.desired).toEqual(deployment());
    expect(result.notes).toEqual([
      expect.objectContaining({
        source: 'jsonPointers',
        problem: 'invalid',
        expression: 'spec/replicas',
      }),
      expect.objectContaining({
        source: 'jsonPointers',
        problem: 'invalid',
        expression: '',
      }),
      expect.objectContaining({
        source: 'jqPathExpressions',
        problem: 'unsupported',
        expression: '.spec.template.spec.initContainers[]?',
      }),
    ]);
  });

  it('ignores nothing for rules that do not match the object', () => {
    const rules = [{ kind: 'Service', jsonPointers: ['/spec/replicas'] }];
    const result = applyIgnoreRules(deployment(), deployment(), rules);
    expect(result.ignored).toEqual([]);
    expect(result.desired).toEqual(deployment());
  });

  describe('jqPathExpressions, with the paths the caller evaluated', () => {
    const containers = (...names: string[]) =>
      names.map(name => ({ name, image: `${name}:1` }));
    const withContainers = (names: string[]) => {
      const obj = deployment();
      (obj.spec as any).template.spec.containers = containers(...names);
      return obj;
    };
    const expression =
      '.spec.template.spec.containers[] | select(.name != "app")';
    const rules = [
      { group: 'apps', kind: 'Deployment', jqPathExpressions: [expression] },
    ];
    const at = (i: number) => ['spec', 'template', 'spec', 'containers', i];

    it('removes what each side selects from that side only, later list items first', () => {
      const desired = withContainers(['app']);
      const live = withContainers(['istio', 'app', 'vault']);
      const result = applyIgnoreRules(desired, live, rules, {
        jq: { [expression]: { desired: [], live: [at(0), at(2)] } },
      });
      expect(result.notes).toEqual([]);
      expect(result.live).toEqual(desired);
      expect(result.desired).toEqual(desired);
      expect(result.ignored.map(i => [i.path, i.reason])).toEqual([
        [
          '/spec/template/spec/containers/2',
          `ignoreDifferences: jqPathExpression ${expression}`,
        ],
        [
          '/spec/template/spec/containers/0',
          `ignoreDifferences: jqPathExpression ${expression}`,
        ],
      ]);
    });

    it('reports an expression jq refused, and ignores nothing for it', () => {
      const live = withContainers(['istio', 'app']);
      const result = applyIgnoreRules(withContainers(['app']), live, rules, {
        jq: { [expression]: { error: 'jq: error: syntax error' } },
      });
      expect(result.live).toEqual(live);
      expect(result.notes).toEqual([
        expect.objectContaining({
          source: 'jqPathExpressions',
          problem: 'invalid',
          message:
            'jq: error: syntax error; differences it would hide still count',
        }),
      ]);
    });
  });

  // Found by ignoreDifferences.fuzz.test.ts.
  describe('paths named like inherited members', () => {
    it('ignores nothing outside the object for /__proto__/isPrototypeOf', () => {
      const result = applyIgnoreRules(deployment(), deployment(), [
        { group: '*', kind: '*', jsonPointers: ['/__proto__/isPrototypeOf'] },
      ]);
      expect(result.ignored).toEqual([]);
      expect(Object.hasOwn(Object.prototype, 'isPrototypeOf')).toBe(true);
    });

    it('takes a jq expression named `constructor` as not evaluated', () => {
      const result = applyIgnoreRules(
        deployment(),
        deployment(),
        [{ group: '*', kind: '*', jqPathExpressions: ['constructor'] }],
        { jq: {} },
      );
      expect(result.notes).toEqual([
        expect.objectContaining({
          source: 'jqPathExpressions',
          problem: 'unsupported',
          expression: 'constructor',
        }),
      ]);
    });
  });
});
