import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { mergeDefinitions } from './mergeDefinitions';

function app(
  name: string,
  origin: ApplicationDefinition['origin'],
  entityRef?: string,
): ApplicationDefinition {
  return {
    name,
    origin,
    entityRefs: entityRef ? [entityRef] : [],
    source: {
      repoURL: 'https://git.example.com/a.git',
      path: '',
      targetRevision: 'HEAD',
    },
    destination: { cluster: 'in-cluster' },
  };
}

describe('mergeDefinitions', () => {
  it('sorts applications by name and keeps every problem', () => {
    const merged = mergeDefinitions([
      {
        applications: [app('web', 'catalog', 'component:default/web')],
        problems: [],
      },
      {
        applications: [app('api', 'config')],
        problems: [
          { origin: 'app-config gitops.applications[1]', message: 'broken' },
        ],
      },
    ]);
    expect(merged.applications.map(a => a.name)).toEqual(['api', 'web']);
    expect(merged.problems).toEqual([
      { origin: 'app-config gitops.applications[1]', message: 'broken' },
    ]);
  });

  it('refuses a second definition of the same name and says who owns it', () => {
    const merged = mergeDefinitions([
      {
        applications: [app('web', 'catalog', 'component:default/web')],
        problems: [],
      },
      { applications: [app('web', 'config')], problems: [] },
    ]);
    expect(merged.applications).toEqual([
      app('web', 'catalog', 'component:default/web'),
    ]);
    expect(merged.problems).toEqual([
      {
        origin: 'app-config',
        message:
          'application name "web" is already defined by component:default/web',
      },
    ]);
  });
});
