import { describeConformance } from './__testUtils__/describeConformance';

jest.setTimeout(300_000);

describeConformance('Argo CD conformance: sources and names', [
  'kustomize',
  'jsonnet',
  'directory-recurse',
  'helm-values',
  'dotted-app-name',
]);
