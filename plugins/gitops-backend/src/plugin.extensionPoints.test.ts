import { createBackendModule } from '@backstage/backend-plugin-api';
import { gitopsApplicationSourcesExtensionPoint } from '@backstage-gitops/plugin-gitops-node';
import request from 'supertest';
import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from './__testUtils__/gitopsTestBackend';

jest.setTimeout(90_000);

// A module as an adopter writes it: an internal service catalogue that
// defines one application, and one definition the checks refuse.
const serviceCatalogueModule = createBackendModule({
  pluginId: 'gitops',
  moduleId: 'service-catalogue',
  register(env) {
    env.registerInit({
      deps: { sources: gitopsApplicationSourcesExtensionPoint },
      async init({ sources }) {
        sources.addApplicationSource({
          id: 'service-catalogue',
          async readApplications() {
            return [
              {
                name: 'ext-source-billing',
                origin: 'config',
                entityRefs: [],
                source: {
                  repoURL: 'https://git.example.com/billing.git',
                  path: 'deploy',
                  targetRevision: 'main',
                },
                destination: { cluster: 'test', namespace: 'billing' },
              },
              {
                name: 'Not A Name',
                origin: 'config',
                entityRefs: [],
                source: {
                  repoURL: 'https://git.example.com/x.git',
                  path: '',
                  targetRevision: 'main',
                },
                destination: { cluster: 'test', namespace: 'x' },
              },
            ] as any;
          },
        });
      },
    });
  },
});

describe('extension points', () => {
  let backend: GitopsTestBackend;
  afterEach(() => backend?.stop());

  it('lists the applications of a source that a module adds', async () => {
    backend = await startGitopsTestBackend({
      features: [serviceCatalogueModule],
    });
    const res = await request(backend.server).get('/api/gitops/applications');
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { name: string }) => a.name)).toContain(
      'ext-source-billing',
    );
    expect(res.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          origin: 'application source service-catalogue',
        }),
      ]),
    );
  });
});
