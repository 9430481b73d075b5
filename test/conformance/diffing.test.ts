import { conformanceSuite } from './__testUtils__/conformanceSuite';

jest.setTimeout(300_000);

const suite = conformanceSuite([
  'ignore-differences',
  'respect-ignore-differences',
  'fail-on-shared-resource',
]);

describe('Argo CD conformance: ignoreDifferences and shared resources', () => {
  suite.setup();
  it.each(suite.running)('$title', c => suite.expectConformance(c));
  if (suite.knownFailing.length) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip.each(suite.knownFailing)('$title', () => {});
  }
});
