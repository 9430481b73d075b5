import { describeConformance } from './__testUtils__/describeConformance';

jest.setTimeout(300_000);

describeConformance('Argo CD conformance: prune and sync options', [
  'prune',
  'prune-last',
  'prune-false',
  'replace',
  'server-side-apply',
  'apply-out-of-sync-only',
  'create-namespace',
  'create-namespace-presync',
]);
