import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  GitopsTestBackend,
  eventually,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import {
  TestGitServer,
  startGitServer,
} from '../repository/__testUtils__/gitServer';
import { createTestRepo } from '../repository/__testUtils__/testRepo';

jest.setTimeout(120_000);

const route = '/api/gitops/applications/validate';

// The `shop` project comes from Argo CD YAML in Git, as in production; the
// rules it carries are the ones the loop enforces.
const shopProject = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: shop }
spec:
  sourceRepos:
    - 'https://git.example.com/shop/*'
    - '!https://git.example.com/shop/secret*'
  destinations:
    - { name: test, namespace: 'shop-*' }
`;

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
  annotations:
    gitops.backstage.io/repo-url: https://git.example.com/shop/cart.git
    gitops.backstage.io/destination-cluster: test
    gitops.backstage.io/destination-namespace: shop-cart
spec: { type: service, owner: team-a, lifecycle: production }
`;

const candidate = (overrides: Record<string, unknown> = {}) => ({
  name: 'web',
  project: 'shop',
  source: {
    repoURL: 'https://git.example.com/shop/web.git',
    path: 'deploy',
    targetRevision: 'HEAD',
  },
  destination: { cluster: 'test', namespace: 'shop-web' },
  ...overrides,
});

describe('POST /applications/validate', () => {
  let git: TestGitServer;
  let backend: GitopsTestBackend;
  let config: Record<string, unknown>;

  beforeAll(async () => {
    git = await startGitServer();
    const definitions = await createTestRepo(git, 'definitions');
    await definitions.commit({ 'apps/projects.yaml': shopProject });
    config = {
      argocd: {
        git: [{ repoURL: definitions.url, path: 'apps' }],
        cacheSeconds: 0,
      },
      applications: [
        {
          name: 'payments',
          source: { repoURL: 'https://git.example.com/pay.git' },
          destination: { namespace: 'pay' },
        },
      ],
    };
    backend = await startGitopsTestBackend({ entities, gitops: config });
  });

  afterAll(async () => {
    await backend?.stop();
    await git?.close();
  });

  const validate = (body: object) =>
    request(backend.server).post(route).send(body);

  it('answers no problems for what the project allows', async () => {
    const res = await validate(candidate());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ problems: [] });
  });

  it("answers with the project's rules as the loop applies them", async () => {
    const res = await validate(
      candidate({
        source: {
          repoURL: 'https://git.example.com/shop/secrets.git',
          path: '',
          targetRevision: 'HEAD',
        },
        destination: { cluster: 'test', namespace: 'kube-system' },
      }),
    );
    expect(res.body.problems).toEqual([
      {
        kind: 'project',
        message:
          'repository https://git.example.com/shop/secrets.git is not permitted in project "shop"',
      },
      {
        kind: 'project',
        message:
          'destination cluster "test", namespace "kube-system" is not permitted in project "shop"',
      },
    ]);
    expect(
      (await validate(candidate({ project: 'nope' }))).body.problems,
    ).toEqual([{ kind: 'project', message: 'project "nope" does not exist' }]);
    // The built-in default project allows everything.
    expect(
      (await validate(candidate({ project: undefined }))).body.problems,
    ).toEqual([]);
  });

  it('answers undeclared clusters, unsafe URLs and names in use', async () => {
    const res = await validate(
      candidate({
        name: 'payments',
        project: 'default',
        source: { repoURL: 'ext::sh -c touch% /tmp/x' },
        destination: { cluster: 'prod', namespace: 'pay' },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.problems).toEqual([
      {
        kind: 'definition',
        message:
          'repository URL must not use a git remote helper (such as ext:: or file::)',
      },
      {
        kind: 'cluster',
        message:
          'destination cluster "prod" is not declared (known clusters: test, in-cluster)',
      },
      {
        kind: 'nameTaken',
        message:
          'an application named "payments" already exists (defined in app-config)',
      },
    ]);
    // The catalog reads its file in the background: wait for the entity.
    const clash = await eventually(async () => {
      const answer = await validate(candidate({ name: 'cart' }));
      return answer.body.problems.length ? answer.body.problems : undefined;
    }, 'the catalog to define cart');
    expect(clash).toEqual([
      {
        kind: 'nameTaken',
        message:
          'an application named "cart" already exists (defined by component:default/cart)',
      },
    ]);
  });

  it('refuses a request that is not an application', async () => {
    const res = await validate({ name: 'web' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^Invalid application: /);
    const options = await validate(
      candidate({ syncPolicy: { syncOptions: 'CreateNamespace=true' } }),
    );
    expect(options.status).toBe(400);
    // Values the shape allows are judged by the shared definition check.
    expect(
      (
        await validate(
          candidate({ syncPolicy: { syncOptions: ['CreateNamespace'] } }),
        )
      ).body.problems,
    ).toEqual([]);
    expect(
      (
        await validate(
          candidate({
            syncPolicy: { retry: { limit: 1.5 } },
          }),
        )
      ).body.problems,
    ).toEqual([
      {
        kind: 'definition',
        message: 'retry: limit must be a whole number, not "1.5"',
      },
    ]);
  });

  it('requires the read permission', async () => {
    const denied = await startGitopsTestBackend({
      entities,
      gitops: config,
      permission: AuthorizeResult.DENY,
    });
    try {
      const res = await request(denied.server).post(route).send(candidate());
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'You may not read GitOps applications',
      );
    } finally {
      await denied.stop();
    }
  });
});
