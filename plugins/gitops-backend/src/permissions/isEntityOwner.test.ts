import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
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
import {
  GITOPS_APPLICATION_RESOURCE_TYPE,
  gitopsApplicationSyncPermission,
} from '@backstage-gitops/plugin-gitops-common';
import request from 'supertest';
import { ClusterClient } from '../cluster/ClusterClient';
import {
  createTestNamespace,
  testKubeConfig,
} from '../cluster/__testUtils__/testCluster';
import { startGitServer } from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';
import { oboActorHttpAuthFactory } from '../router/__testUtils__/oboActorAuth';
import { startGitopsBackend } from '../router/__testUtils__/startGitopsBackend';
import {
  createGitopsApplicationConditionalDecision,
  gitopsApplicationConditions,
} from './rules';

jest.setTimeout(120_000);

const api = '/api/gitops/applications';
const alice = mockCredentials.user.header('user:default/alice');
const bob = mockCredentials.user.header('user:default/bob');

// The policy an adopter writes: GitOps actions for owners of the entities.
class OwnersMayActPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isResourcePermission(query.permission, GITOPS_APPLICATION_RESOURCE_TYPE)
    ) {
      return createGitopsApplicationConditionalDecision(
        query.permission,
        gitopsApplicationConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'gitops-owners-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new OwnersMayActPolicy());
      },
    });
  },
});

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner, lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

describe('IS_ENTITY_OWNER through the permission framework', () => {
  const cluster = ClusterClient.fromKubeConfig(testKubeConfig());
  let namespace: string;
  let git: Awaited<ReturnType<typeof startGitServer>>;
  let backend: Awaited<ReturnType<typeof startGitopsBackend>>;

  beforeAll(async () => {
    git = await startGitServer();
    namespace = await createTestNamespace(cluster, 'owners');
    const repo = await createTestRepo(git, 'owned');
    await repo.commit(
      {
        'deploy/settings.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
`,
      },
      'Add settings',
    );
    const app = (name: string, entity: string) => ({
      name,
      entityRefs: [entity],
      source: { repoURL: repo.url, path: 'deploy' },
      destination: { cluster: 'test', namespace },
    });
    backend = await startGitopsBackend({
      applications: [
        app('shop', 'component:default/shop'),
        app('billing', 'component:default/billing'),
      ],
      entities: [
        component('shop', 'user:default/alice'),
        component('billing', 'group:default/finance'),
      ],
      features: [permissionPlugin, policyModule, oboActorHttpAuthFactory],
      config: { permission: { enabled: true } },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await cluster.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: namespace,
    });
    await git?.close();
  });

  it('lets the owner sync, and answers another user as for an unknown name', async () => {
    const owned = await request(backend.server)
      .post(`${api}/shop/sync`)
      .set('Authorization', alice)
      .send({ dryRun: true });
    expect(owned.status).toBe(202);
    expect(owned.body.id).toEqual(expect.any(String));

    const forbidden = await request(backend.server)
      .post(`${api}/shop/sync`)
      .set('Authorization', bob)
      .send({ dryRun: true });
    const unknown = await request(backend.server)
      .post(`${api}/nope/sync`)
      .set('Authorization', bob)
      .send({ dryRun: true });
    expect(forbidden.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(forbidden.body.error).toEqual({
      name: 'NotFoundError',
      message: 'No application named "shop"',
    });
    expect(unknown.body.error).toEqual({
      name: 'NotFoundError',
      message: 'No application named "nope"',
    });

    // Not even its status or history can be read by a non-owner.
    const detail = await request(backend.server)
      .get(`${api}/shop`)
      .set('Authorization', bob);
    expect(detail.status).toBe(404);
    const operation = await request(backend.server)
      .get(`${api}/shop/operations/${owned.body.id}`)
      .set('Authorization', bob);
    expect(operation.status).toBe(404);

    // The owner follows the dry run to its end.
    let phase = 'Running';
    for (let i = 0; i < 150 && phase === 'Running'; i++) {
      await new Promise(resolve => setTimeout(resolve, 200));
      phase = (
        await request(backend.server)
          .get(`${api}/shop/operations/${owned.body.id}`)
          .set('Authorization', alice)
      ).body.phase;
    }
    expect(phase).toBe('Succeeded');
  });

  it('lists only the applications the caller may read', async () => {
    const mine = await request(backend.server)
      .get(api)
      .set('Authorization', alice);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((a: { name: string }) => a.name)).toEqual([
      'shop',
    ]);
    expect(mine.body.totalItems).toBe(1);
    const none = await request(backend.server)
      .get(api)
      .set('Authorization', bob);
    expect(none.body).toMatchObject({ items: [], totalItems: 0 });
  });

  it('lets the permission backend evaluate the condition for a named application', async () => {
    // What the frontend's usePermission with a resourceRef does: the
    // permission backend loads the application through getResources.
    const ask = (who: string, resourceRef: string) =>
      request(backend.server)
        .post('/api/permission/authorize')
        .set('Authorization', who)
        .send({
          items: [
            {
              id: '1',
              permission: gitopsApplicationSyncPermission,
              resourceRef,
            },
          ],
        });
    expect((await ask(alice, 'shop')).body.items[0].result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await ask(bob, 'shop')).body.items[0].result).toBe(
      AuthorizeResult.DENY,
    );
    expect((await ask(alice, 'billing')).body.items[0].result).toBe(
      AuthorizeResult.DENY,
    );
  });
});
