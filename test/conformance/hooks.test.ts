import { describeConformance } from './__testUtils__/describeConformance';

jest.setTimeout(300_000);

describeConformance('Argo CD conformance: hooks and delete policies', [
  'hook-default-policy',
  'hook-failed-policy',
  'hook-generate-name',
  'hook-generate-name-kept',
  'hook-skip',
  'postsync-after-healthy',
  'sync-hook',
  'syncfail-hook',
]);
