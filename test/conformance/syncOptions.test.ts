import { conformanceSuite } from './__testUtils__/conformanceSuite';

jest.setTimeout(300_000);

const suite = conformanceSuite([
  'prune',
  'prune-last',
  'prune-false',
  'replace',
  'server-side-apply',
  'apply-out-of-sync-only',
  'prune-waves',
  'allow-empty',
  'create-namespace',
  'create-namespace-plain',
  'create-namespace-presync',
]);

describe('Argo CD conformance: prune and sync options', () => {
  suite.setup();
  it.each(suite.running)('$title', c => suite.expectConformance(c));
  if (suite.knownFailing.length) {
    // eslint-disable-next-line jest/no-disabled-tests, jest/expect-expect
    it.skip.each(suite.knownFailing)('$title', () => {});
  }
});
