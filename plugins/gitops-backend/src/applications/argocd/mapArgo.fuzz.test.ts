import fc from 'fast-check';
import { fuzz, jsonish } from '../../__testUtils__/fuzz';
import {
  ARGO_API_VERSION,
  ArgoMapContext,
  applicationFromArgo,
} from './mapApplication';
import { projectFromArgo } from './mapProject';

// Argo CD YAML from Git is anyone's: the mappers answer every object with a
// result whose `problems` say what is wrong (the typed error here is that
// returned value); throwing is a bug that would hide every other
// application of the same repository.

const context: ArgoMapContext = {
  clusters: [
    { name: 'in-cluster', server: 'https://kubernetes.default.svc' },
    { name: 'prod', server: 'https://prod.example.com' },
  ],
  allowHttp: false,
  inClusterName: 'in-cluster',
};

// The keys the mappers read, so random values land where they look.
const ARGO_KEYS = [
  'repoURL',
  'path',
  'targetRevision',
  'chart',
  'ref',
  'helm',
  'kustomize',
  'directory',
  'jsonnet',
  'plugin',
  'valueFiles',
  'values',
  'valuesObject',
  'parameters',
  'releaseName',
  'skipCrds',
  'ignoreMissingValueFiles',
  'namePrefix',
  'nameSuffix',
  'images',
  'commonLabels',
  'commonAnnotations',
  'recurse',
  'include',
  'exclude',
  'extVars',
  'tlas',
  'libs',
  'name',
  'value',
  'server',
  'namespace',
  'automated',
  'prune',
  'selfHeal',
  'allowEmpty',
  'syncOptions',
  'retry',
  'limit',
  'backoff',
  'duration',
  'factor',
  'maxDuration',
  'managedNamespaceMetadata',
  'labels',
  'annotations',
  'group',
  'kind',
  'jsonPointers',
  'jqPathExpressions',
  'managedFieldsManagers',
  'schedule',
  'timeZone',
  'applications',
  'clusters',
  'namespaces',
  'manualSync',
];
const value = jsonish(ARGO_KEYS, 4);
const spec = (keys: string[]) =>
  fc.oneof(
    value,
    fc.dictionary(fc.constantFrom(...keys), value, {
      maxKeys: keys.length,
      noNullPrototype: true,
    }),
  );
const metadata = fc.oneof(
  value,
  fc.record(
    {
      name: fc.oneof(fc.constantFrom('web', ''), value),
      namespace: value,
      annotations: fc.oneof(
        value,
        fc.dictionary(fc.string({ maxLength: 30 }), fc.string(), {
          noNullPrototype: true,
        }),
      ),
    },
    { requiredKeys: [] },
  ),
);
const argoObject = (kind: string, keys: string[]) =>
  fc.oneof(
    { weight: 1, arbitrary: value },
    {
      weight: 5,
      arbitrary: fc.record(
        {
          apiVersion: fc.oneof(
            { weight: 5, arbitrary: fc.constant(ARGO_API_VERSION) },
            value,
          ),
          kind: fc.oneof({ weight: 5, arbitrary: fc.constant(kind) }, value),
          metadata,
          spec: spec(keys),
        },
        { requiredKeys: ['apiVersion', 'kind'] },
      ),
    },
  );

describe('Argo CD mappers (fuzzed)', () => {
  it('maps any Application-shaped object or names its problems', () => {
    const keys = [
      'project',
      'source',
      'sources',
      'destination',
      'syncPolicy',
      'ignoreDifferences',
      'revisionHistoryLimit',
      'info',
    ];
    fuzz(
      fc.property(argoObject('Application', keys), object => {
        const result = applicationFromArgo(object, context);
        expect(Array.isArray(result.problems)).toBe(true);
        // Refused means named: no application without a problem saying why.
        expect(Boolean(result.application) || result.problems.length > 0).toBe(
          true,
        );
      }),
    );
  });

  it('maps any AppProject-shaped object or names its problems', () => {
    const keys = [
      'sourceRepos',
      'destinations',
      'clusterResourceWhitelist',
      'clusterResourceBlacklist',
      'namespaceResourceWhitelist',
      'namespaceResourceBlacklist',
      'syncWindows',
      'description',
    ];
    fuzz(
      fc.property(argoObject('AppProject', keys), object => {
        const result = projectFromArgo(object);
        expect(Array.isArray(result.problems)).toBe(true);
        expect(Boolean(result.project) || result.problems.length > 0).toBe(
          true,
        );
      }),
    );
  });
});
