import { conformanceSuite } from './__testUtils__/conformanceSuite';

jest.setTimeout(300_000);

const suite = conformanceSuite([
  'self-heal',
  'selective-sync',
  'selective-sync-history',
  'helm-hooks',
]);

describe('Argo CD conformance: selfHeal, selective sync, Helm hooks', () => {
  suite.setup();
  it.each(suite.running)('$title', c => suite.expectConformance(c));
  if (suite.knownFailing.length) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip.each(suite.knownFailing)('$title', () => {});
  }
});
