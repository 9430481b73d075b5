import { describeConformance } from './__testUtils__/describeConformance';

jest.setTimeout(300_000);

describeConformance(
  'Argo CD conformance: selfHeal, selective sync, Helm hooks',
  ['self-heal', 'selective-sync', 'helm-hooks'],
);
