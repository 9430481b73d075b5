import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { startDevGitServer } from '../__testUtils__/devGitServer';
import {
  startFakeGitopsBackend,
  summary,
} from '../__testUtils__/fakeGitopsBackend';
import { testSettings } from '../__testUtils__/settings';
import { registerGitopsActions } from './registerGitopsActions';

jest.setTimeout(60_000);

describe('the GitOps verbs in the actions registry', () => {
  let backend: Awaited<ReturnType<typeof startFakeGitopsBackend>>;
  let git: Awaited<ReturnType<typeof startDevGitServer>>;
  let registry: ReturnType<typeof actionsRegistryServiceMock>;

  beforeAll(async () => {
    git = await startDevGitServer();
  });
  afterAll(() => git?.stop());
  beforeEach(async () => {
    backend = await startFakeGitopsBackend();
    registry = actionsRegistryServiceMock();
    registerGitopsActions(registry, {
      api: (...args) => backend.api(...args),
      settings: testSettings(),
    });
  });
  afterEach(() => backend.stop());

  const invoke = (name: string, input: Record<string, unknown>) =>
    registry.invoke({
      id: `test:${name}`,
      input: input as any,
      credentials: backend.credentials,
    });

  it('offers create, sync, wait and get-status', async () => {
    const { actions } = await registry.list();
    expect(actions.map(a => a.name).sort()).toEqual([
      'create-gitops-application',
      'get-gitops-application-status',
      'sync-gitops-application',
      'wait-for-gitops-application',
    ]);
  });

  it('create commits an Argo CD Application to a Git location, after the checks', async () => {
    const input = {
      name: 'cart',
      repoUrl: 'https://git.example.com/apps.git',
      path: 'cart',
      destination: { cluster: 'in-cluster', namespace: 'cart' },
      entityRef: 'component:default/cart',
      gitLocation: { repoUrl: git.url, file: 'applications/cart.yaml' },
    };
    const { output } = (await invoke(
      'create-gitops-application',
      input,
    )) as any;
    expect(output.gitopsUrl).toBe(
      'http://localhost:3000/catalog/default/component/cart/gitops',
    );
    const raw = await fetch(`${git.url}/raw/main/applications/cart.yaml`);
    const application = parse(await raw.text());
    expect(application).toEqual(parse(output.yaml));
    expect(application.spec).toEqual({
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/apps.git',
        targetRevision: 'HEAD',
        path: 'cart',
      },
      destination: { name: 'in-cluster', namespace: 'cart' },
    });
    expect(output.commit).toBe(
      execFileSync('git', ['ls-remote', git.url, 'refs/heads/main'])
        .toString()
        .split('\t')[0],
    );

    await expect(
      invoke('create-gitops-application', {
        ...input,
        name: 'other',
        gitLocation: { repoUrl: 'ext::sh -c id', file: 'x.yaml' },
      }),
    ).rejects.toThrow(
      'Cannot commit: repository URL must not use a git remote helper',
    );

    backend.state.apps.set('cart', summary('cart'));
    await expect(invoke('create-gitops-application', input)).rejects.toThrow(
      'Cannot create the application: an application named "cart" already exists',
    );
  });

  it('sync starts an operation as the caller; get-status reads the status', async () => {
    backend.state.apps.set(
      'cart',
      summary('cart', { sync: 'Synced', health: 'Healthy', revision: 'abc' }),
    );
    const sync = (await invoke('sync-gitops-application', {
      name: 'cart',
      prune: true,
    })) as any;
    expect(sync.output).toEqual({ operationId: 'op-1', phase: 'Running' });
    const posted = backend.state.requests.find(r => r.method === 'POST');
    expect(posted).toMatchObject({
      path: '/applications/cart/sync',
      body: { prune: true, dryRun: false },
      auth: expect.stringContaining('user:default/alice'),
    });
    const status = (await invoke('get-gitops-application-status', {
      name: 'cart',
    })) as any;
    expect(status.output).toMatchObject({
      name: 'cart',
      sync: 'Synced',
      health: 'Healthy',
      revision: 'abc',
      conditions: [],
    });
    await expect(
      invoke('get-gitops-application-status', { name: 'nope' }),
    ).rejects.toThrow('No application named "nope"');
  });

  it('wait answers once Synced and Healthy', async () => {
    backend.state.apps.set(
      'cart',
      summary('cart', { sync: 'Synced', health: 'Healthy' }),
    );
    const result = (await invoke('wait-for-gitops-application', {
      name: 'cart',
      timeoutSeconds: 5,
    })) as any;
    expect(result.output).toEqual({ sync: 'Synced', health: 'Healthy' });
  });
});
