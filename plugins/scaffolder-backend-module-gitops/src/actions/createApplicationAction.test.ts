import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  startFakeGitopsBackend,
  summary,
} from '../__testUtils__/fakeGitopsBackend';
import { testSettings } from '../__testUtils__/settings';
import { actionContext } from '../__testUtils__/actionContext';
import { startDevGitServer } from '../__testUtils__/devGitServer';
import { createApplicationAction } from './createApplicationAction';

const catalogInfo = `# The new service
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
spec:
  type: service
  owner: guests
`;

describe('gitops:application:create', () => {
  let backend: Awaited<ReturnType<typeof startFakeGitopsBackend>>;
  let workspacePath: string;

  beforeEach(async () => {
    backend = await startFakeGitopsBackend();
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-create-'));
    fs.writeFileSync(
      path.join(workspacePath, 'catalog-info.yaml'),
      catalogInfo,
    );
  });
  afterEach(async () => {
    await backend.stop();
    fs.rmSync(workspacePath, { recursive: true, force: true });
  });

  const input = {
    name: 'cart',
    repoUrl: 'http://127.0.0.1:7008/apps.git',
    path: './services/cart/manifests/',
    revision: 'main',
    destination: { cluster: 'in-cluster', namespace: 'cart-dev' },
    project: 'default',
    syncPolicy: {},
    definition: 'catalog' as const,
    catalogInfoPath: 'catalog-info.yaml',
    argocdNamespace: 'argocd',
  };

  function run(
    overrides: Record<string, unknown> = {},
    gitops = {},
    isDryRun = false,
  ) {
    const action = createApplicationAction({
      api: backend.api,
      settings: testSettings(gitops),
    });
    const ctx = actionContext({
      input: { ...input, ...overrides },
      credentials: backend.credentials,
      workspacePath,
      isDryRun,
    });
    return { ctx, done: action.handler(ctx as any) };
  }

  it('writes the annotations into catalog-info.yaml and links the GitOps tab', async () => {
    const { ctx, done } = run({
      syncPolicy: {
        automated: { prune: true, selfHeal: false, allowEmpty: false },
      },
    });
    await done;

    const text = fs.readFileSync(
      path.join(workspacePath, 'catalog-info.yaml'),
      'utf8',
    );
    expect(text.startsWith('# The new service')).toBe(true);
    expect(parse(text).metadata.annotations).toEqual({
      'gitops.backstage.io/repo-url': 'http://127.0.0.1:7008/apps.git',
      'gitops.backstage.io/path': 'services/cart/manifests',
      'gitops.backstage.io/target-revision': 'main',
      'gitops.backstage.io/destination-cluster': 'in-cluster',
      'gitops.backstage.io/destination-namespace': 'cart-dev',
      'gitops.backstage.io/auto-sync': 'true',
      'gitops.backstage.io/auto-sync-prune': 'true',
      'gitops.backstage.io/self-heal': 'false',
    });
    expect(ctx.output).toHaveBeenCalledWith('id', 'cart');
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/cart',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'gitopsPath',
      '/catalog/default/component/cart/gitops',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'gitopsUrl',
      'http://localhost:3000/catalog/default/component/cart/gitops',
    );
    // The backend judged the application, asked as the user.
    expect(backend.state.requests[0]).toEqual({
      method: 'POST',
      path: '/applications/validate',
      auth: expect.stringContaining('user:default/alice'),
      body: {
        name: 'cart',
        project: 'default',
        source: {
          repoURL: 'http://127.0.0.1:7008/apps.git',
          path: 'services/cart/manifests',
          targetRevision: 'main',
        },
        destination: { cluster: 'in-cluster', namespace: 'cart-dev' },
        syncPolicy: {
          automated: { prune: true, selfHeal: false, allowEmpty: false },
        },
      },
    });
  });

  it('applies the defaults the template leaves out, as the scaffolder passes raw input', async () => {
    const action = createApplicationAction({
      api: backend.api,
      settings: testSettings(),
    });
    const ctx = actionContext({
      input: {
        name: 'cart',
        repoUrl: 'http://127.0.0.1:7008/apps.git',
        destination: { namespace: 'cart-dev' },
      },
      credentials: backend.credentials,
      workspacePath,
    });
    await action.handler(ctx);
    const text = fs.readFileSync(
      path.join(workspacePath, 'catalog-info.yaml'),
      'utf8',
    );
    expect(parse(text).metadata.annotations).toEqual({
      'gitops.backstage.io/repo-url': 'http://127.0.0.1:7008/apps.git',
      'gitops.backstage.io/path': '',
      'gitops.backstage.io/target-revision': 'HEAD',
      'gitops.backstage.io/destination-cluster': 'in-cluster',
      'gitops.backstage.io/destination-namespace': 'cart-dev',
    });
    await expect(
      action.handler(
        actionContext({
          input: { name: 'Cart!', repoUrl: 'x', destination: {} },
          credentials: backend.credentials,
          workspacePath,
        }),
      ),
    ).rejects.toThrow('Invalid input');
  });

  it('refuses a name the reconciler already has, and writes nothing', async () => {
    backend.state.apps.set('cart', summary('cart'));
    const refusal = run().done;
    await expect(refusal).rejects.toThrow(
      'Cannot create the application: an application named "cart" already exists (defined by component:default/cart); choose another name',
    );
    await expect(refusal).rejects.toMatchObject({ name: 'ConflictError' });
    expect(
      fs.readFileSync(path.join(workspacePath, 'catalog-info.yaml'), 'utf8'),
    ).toBe(catalogInfo);
  });

  it('refuses with every reason the backend gives (its project rules, clusters, URLs), and writes nothing', async () => {
    backend.state.refusals = [
      {
        kind: 'project',
        message:
          'repository http://127.0.0.1:7008/apps.git is not permitted in project "shop"',
      },
      {
        kind: 'cluster',
        message:
          'destination cluster "prod" is not declared (known clusters: in-cluster)',
      },
    ];
    const refusal = run({
      project: 'shop',
      definition: 'argocd',
      destination: { cluster: 'prod', namespace: 'cart' },
    }).done;
    await expect(refusal).rejects.toThrow(
      'Cannot create the application: repository http://127.0.0.1:7008/apps.git is not permitted in project "shop"; destination cluster "prod" is not declared (known clusters: in-cluster)',
    );
    await expect(refusal).rejects.toMatchObject({ name: 'InputError' });
    expect(backend.state.requests[0].body).toMatchObject({
      project: 'shop',
      destination: { cluster: 'prod', namespace: 'cart' },
    });
    expect(fs.existsSync(path.join(workspacePath, 'argocd'))).toBe(false);
    expect(
      fs.readFileSync(path.join(workspacePath, 'catalog-info.yaml'), 'utf8'),
    ).toBe(catalogInfo);
  });

  it('refuses what annotations cannot say', async () => {
    await expect(run({ project: 'shop' }).done).rejects.toThrow(
      'Catalog annotations cannot place an application in project "shop"',
    );
  });

  it('writes an Argo CD Application and links the component to it by name', async () => {
    const { ctx, done } = run({
      definition: 'argocd',
      project: 'default',
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ['CreateNamespace=true'],
        retry: { limit: 2, backoff: { duration: '10s' } },
      },
    });
    await done;
    const file = path.join(workspacePath, 'argocd/cart.yaml');
    const [document] = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    expect(document.toJS()).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'cart',
        namespace: 'argocd',
        annotations: {
          'gitops.backstage.io/entity-refs': 'component:default/cart',
        },
      },
      spec: {
        project: 'default',
        source: {
          repoURL: 'http://127.0.0.1:7008/apps.git',
          targetRevision: 'main',
          path: 'services/cart/manifests',
        },
        destination: { name: 'in-cluster', namespace: 'cart-dev' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: ['CreateNamespace=true'],
          retry: { limit: 2, backoff: { duration: '10s' } },
        },
      },
    });
    const entity = parse(
      fs.readFileSync(path.join(workspacePath, 'catalog-info.yaml'), 'utf8'),
    );
    expect(entity.metadata.annotations).toEqual({ 'argocd/app-name': 'cart' });
    expect(ctx.output).toHaveBeenCalledWith(
      'definitionFile',
      'argocd/cart.yaml',
    );
  });

  it('commits the Argo CD Application to a chosen Git location, never over a file', async () => {
    const git = await startDevGitServer();
    try {
      const gitLocation = { repoUrl: git.url, file: 'applications/cart.yaml' };
      const { ctx, done } = run({ definition: 'argocd', gitLocation });
      await done;
      const raw = await fetch(`${git.url}/raw/main/applications/cart.yaml`);
      expect(await raw.text()).toBe(
        fs.readFileSync(path.join(workspacePath, 'argocd/cart.yaml'), 'utf8'),
      );
      expect(ctx.output).toHaveBeenCalledWith(
        'commit',
        expect.stringMatching(/^[0-9a-f]{40}$/),
      );
      await expect(
        run({ definition: 'argocd', name: 'cart-two', gitLocation }).done,
      ).rejects.toThrow(
        `applications/cart.yaml already exists in ${git.url} (main)`,
      );
      // A dry run commits nothing.
      const dry = run(
        {
          definition: 'argocd',
          name: 'cart-dry',
          gitLocation: { repoUrl: git.url, file: 'applications/dry.yaml' },
        },
        {},
        true,
      );
      await dry.done;
      expect(
        (await fetch(`${git.url}/raw/main/applications/dry.yaml`)).status,
      ).toBe(404);
    } finally {
      await git.stop();
    }
  });

  it('checks and writes in a dry run too, and says so', async () => {
    const { ctx, done } = run({}, {}, true);
    await done;
    expect(ctx.logger.info).toHaveBeenCalledWith(
      'Dry run: the definition was written to the workspace only',
    );
    expect(ctx.output).toHaveBeenCalledWith('id', 'cart');
  });
});
