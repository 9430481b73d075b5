import { conformanceSuite } from './__testUtils__/conformanceSuite';

jest.setTimeout(300_000);

const suite = conformanceSuite(['retry-backoff', 'self-heal-failed-revision']);

describe('Argo CD conformance: a failed automated sync, its retries, and the fix in Git', () => {
  suite.setup();
  it.each(suite.running)('$title', c => suite.expectConformance(c));
  if (suite.knownFailing.length) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip.each(suite.knownFailing)('$title', () => {});
  }
});
