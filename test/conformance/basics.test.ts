import { describeConformance } from './__testUtils__/describeConformance';

jest.setTimeout(300_000);

describeConformance('Argo CD conformance: basics, phases and waves', [
  'basic-sync',
  'waves-negative',
  'presync-hook-wave',
  'hook-succeeded',
]);
