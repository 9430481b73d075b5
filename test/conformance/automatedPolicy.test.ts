import { conformanceSuite } from './__testUtils__/conformanceSuite';

jest.setTimeout(300_000);

const suite = conformanceSuite(
  [
    'automated-off-in-git',
    'prune-all-refused',
    'prune-propagation-background',
    'prune-propagation-orphan',
  ],
  {
    argocdCacheSeconds: 1,
  },
);

describe('Argo CD conformance: automated policy in Git, the prune-everything guard, prune propagation', () => {
  suite.setup();
  it.each(suite.running)('$title', c => suite.expectConformance(c));
  if (suite.knownFailing.length) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip.each(suite.knownFailing)('$title', () => {});
  }
});
