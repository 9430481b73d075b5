import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import {
  GitopsTestBackend,
  eventually,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { oboActorHttpAuthFactory } from '../router/__testUtils__/oboActorAuth';

jest.setTimeout(120_000);

const api = '/api/gitops/applications';
const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');
const carol = mockCredentials.user.header('user:default/carol');

// Alice reads only entities labelled public in the catalog, Bob none, the
// others all; every GitOps permission is allowed.
class CatalogVisibilityPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isResourcePermission(query.permission, 'catalog-entity')) {
      const who = user?.info.userEntityRef;
      if (who === 'user:default/bob') return { result: AuthorizeResult.DENY };
      if (who === 'user:default/alice') {
        return createCatalogConditionalDecision(
          query.permission,
          catalogConditions.hasLabel({ label: 'public' }),
        );
      }
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'catalog-visibility-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CatalogVisibilityPolicy());
      },
    });
  },
});

const component = (name: string, labels: Record<string, string> = {}) => `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  labels: ${JSON.stringify(labels)}
  annotations:
    gitops.backstage.io/repo-url: https://git.example.com/apps.git
    gitops.backstage.io/path: ${name}
spec: { type: service, owner: team-a, lifecycle: production }
`;

describe('definitions from memory, seen as the catalog lets each user see them', () => {
  let backend: GitopsTestBackend;

  beforeAll(async () => {
    backend = await startGitopsTestBackend({
      entities: `${component('vis-public', { public: 'true' })}---${component(
        'vis-private',
      )}`,
      gitops: {
        applications: [
          {
            name: 'vis-config',
            source: { repoURL: 'https://git.example.com/apps.git', path: 'c' },
            destination: { cluster: 'test', namespace: 'default' },
          },
        ],
      },
      features: [permissionPlugin, policyModule, oboActorHttpAuthFactory],
      config: { permission: { enabled: true } },
    });
    // The index holds both entities once the catalog has processed them.
    await eventually(async () => {
      const res = await request(backend.server)
        .get(api)
        .set('Authorization', carol);
      return res.body.items?.length === 3 ? true : undefined;
    }, 'both entities and the config application');
  });
  afterAll(async () => {
    await backend?.stop();
  });

  const names = async (header: string) => {
    const res = await request(backend.server)
      .get(api)
      .set('Authorization', header);
    expect(res.status).toBe(200);
    return res.body.items.map((a: { name: string }) => a.name).sort();
  };

  it('lists only the applications of entities the user may read, and answers their names as unknown', async () => {
    expect(await names(carol)).toEqual([
      'vis-config',
      'vis-private',
      'vis-public',
    ]);
    expect(await names(alice)).toEqual(['vis-config', 'vis-public']);
    expect(await names(bob)).toEqual(['vis-config']);

    const hidden = await request(backend.server)
      .get(`${api}/vis-private`)
      .set('Authorization', alice);
    expect(hidden.status).toBe(404);
    const refresh = await request(backend.server)
      .post(`${api}/vis-public/refresh`)
      .set('Authorization', bob)
      .send({});
    expect(refresh.status).toBe(404);
    const shown = await request(backend.server)
      .get(`${api}/vis-public`)
      .set('Authorization', alice);
    expect(shown.status).toBe(200);
  });
});
