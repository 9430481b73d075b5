import { conformanceSuite } from './__testUtils__/conformanceSuite';

jest.setTimeout(300_000);

const suite = conformanceSuite([
  'hook-default-policy',
  'hook-failed-policy',
  'hook-generate-name',
  'hook-generate-name-kept',
  'hook-skip',
  'postsync-after-healthy',
  'sync-hook',
  'syncfail-hook',
]);

describe('Argo CD conformance: hooks and delete policies', () => {
  suite.setup();
  it.each(suite.running)('$title', c => suite.expectConformance(c));
  if (suite.knownFailing.length) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip.each(suite.knownFailing)('$title', () => {});
  }
});
