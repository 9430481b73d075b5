import { loadFixture } from './__fixtures__/loadFixture';
import { customResourceDefinitionHealth } from './customResourceDefinition';
import { resourceHealth } from './index';

describe('customResourceDefinitionHealth', () => {
  it.each([
    ['customresourcedefinition-healthy', 'Healthy'],
    ['customresourcedefinition-progressing', 'Progressing'],
    ['customresourcedefinition-degraded', 'Degraded'],
  ])('%s is %s', (fixture, status) => {
    expect(customResourceDefinitionHealth(loadFixture(fixture)).status).toBe(
      status,
    );
  });

  it('is the rule resourceHealth applies to CRDs', () => {
    expect(
      resourceHealth(loadFixture('customresourcedefinition-progressing')),
    ).toEqual({
      status: 'Progressing',
      message: 'Waiting for the kind to be served',
    });
  });
});
