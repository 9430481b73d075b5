import {
  startFakeGitopsBackend,
  summary,
} from '../__testUtils__/fakeGitopsBackend';
import { actionContext } from '../__testUtils__/actionContext';
import { syncApplicationAction } from './syncApplicationAction';
import { waitApplicationAction } from './waitApplicationAction';

describe('gitops:application:sync and gitops:application:wait', () => {
  let backend: Awaited<ReturnType<typeof startFakeGitopsBackend>>;
  beforeEach(async () => {
    backend = await startFakeGitopsBackend();
  });
  afterEach(() => backend.stop());

  const sync = syncApplicationAction({
    api: (...args) => backend.api(...args),
    pollIntervalMs: 20,
  });
  const wait = waitApplicationAction({
    api: (...args) => backend.api(...args),
    pollIntervalMs: 20,
  });

  it('waits for the reconciler to know the application, then syncs it as the user', async () => {
    // The catalog takes a moment: the application appears at the third read.
    let lists = 0;
    backend.state.onRequest = (method, path) => {
      if (method === 'GET' && path === '/applications/cart' && ++lists === 3) {
        backend.state.apps.set('cart', summary('cart'));
      }
    };
    const ctx = actionContext({
      input: { name: 'cart', prune: true, registrationTimeoutSeconds: 10 },
      credentials: backend.credentials,
    });
    await sync.handler(ctx as any);

    expect(ctx.output).toHaveBeenCalledWith('operationId', 'op-1');
    const posted = backend.state.requests.filter(r => r.method === 'POST');
    // Never reconciled: a refresh first, then the sync with prune.
    expect(posted.map(r => [r.path, r.body])).toEqual([
      ['/applications/cart/refresh', undefined],
      ['/applications/cart/sync', { prune: true, dryRun: false }],
    ]);
    expect(posted[1].auth).toContain('user:default/alice');
    expect(ctx.logger.info).toHaveBeenCalledWith(
      'Waiting for the reconciler to pick up "cart"',
    );
  });

  it('still syncs when the user may sync but not refresh', async () => {
    backend.state.forbidRefresh = true;
    backend.state.apps.set('cart', summary('cart'));
    const ctx = actionContext({
      input: { name: 'cart' },
      credentials: backend.credentials,
    });
    await sync.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('operationId', 'op-1');
  });

  it('says what is missing when the application never reaches the reconciler', async () => {
    const ctx = actionContext({
      input: { name: 'cart', prune: false, registrationTimeoutSeconds: 0 },
      credentials: backend.credentials,
    });
    await expect(sync.handler(ctx as any)).rejects.toThrow(
      'The reconciler does not know application "cart" after 0 s: is its component registered in the catalog',
    );
  });

  it('starts nothing in a dry run', async () => {
    const ctx = actionContext({
      input: { name: 'cart', prune: false, registrationTimeoutSeconds: 1 },
      credentials: backend.credentials,
      isDryRun: true,
    });
    await sync.handler(ctx as any);
    expect(backend.state.requests).toEqual([]);
    expect(ctx.logger.info).toHaveBeenCalledWith('Dry run: would sync "cart"');
    await wait.handler({
      ...ctx,
      input: { name: 'cart', timeoutSeconds: 1 },
    } as any);
    expect(backend.state.requests).toEqual([]);
  });

  it('follows the operation until the application is Synced and Healthy', async () => {
    backend.state.apps.set(
      'cart',
      summary('cart', { sync: 'OutOfSync', health: 'Missing' }),
    );
    backend.state.operations.set('op-1', {
      id: 'op-1',
      application: 'cart',
      phase: 'Running',
      initiatedBy: 'user:default/alice',
      dryRun: false,
      startedAt: '2026-11-26T04:00:00Z',
      tasks: [],
    });
    let polls = 0;
    backend.state.onRequest = (_method, path) => {
      if (path !== '/applications/cart/operations/op-1' || ++polls < 3) return;
      backend.state.operations.get('op-1')!.phase = 'Succeeded';
      backend.state.apps.set(
        'cart',
        summary('cart', {
          sync: 'Synced',
          health: polls < 5 ? 'Progressing' : 'Healthy',
          revision: 'a'.repeat(40),
        }),
      );
    };
    const ctx = actionContext({
      input: { name: 'cart', operationId: 'op-1', timeoutSeconds: 10 },
      credentials: backend.credentials,
    });
    await wait.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('sync', 'Synced');
    expect(ctx.output).toHaveBeenCalledWith('health', 'Healthy');
    expect(ctx.output).toHaveBeenCalledWith('revision', 'a'.repeat(40));
    expect(ctx.logger.info).toHaveBeenCalledWith(
      '"cart": sync operation op-1 is Running',
    );
    expect(ctx.logger.info).toHaveBeenCalledWith(
      '"cart": Synced and Progressing',
    );
    // Health is judged on a fresh comparison once the operation has ended.
    expect(
      backend.state.requests.some(r => r.path === '/applications/cart/refresh'),
    ).toBe(true);
  });

  it('fails with the hook that failed the sync', async () => {
    backend.state.apps.set(
      'cart',
      summary('cart', { sync: 'OutOfSync', health: 'Healthy' }),
    );
    backend.state.operations.set('op-1', {
      id: 'op-1',
      application: 'cart',
      phase: 'Failed',
      message: 'one or more synchronization tasks completed unsuccessfully',
      initiatedBy: 'user:default/alice',
      dryRun: false,
      startedAt: '2026-11-26T04:00:00Z',
      tasks: [
        {
          key: 'batch/Job/cart/migrate',
          kind: 'Job',
          namespace: 'cart',
          name: 'migrate',
          syncPhase: 'PreSync',
          wave: 0,
          isHook: true,
          hookType: 'PreSync',
          action: 'create-hook',
          status: 'SyncFailed',
          hookPhase: 'Failed',
          message: 'Job has reached the specified backoff limit',
        },
      ],
    });
    const ctx = actionContext({
      input: { name: 'cart', operationId: 'op-1', timeoutSeconds: 10 },
      credentials: backend.credentials,
    });
    await expect(wait.handler(ctx as any)).rejects.toThrow(
      '"cart" did not become healthy: sync operation op-1 ended Failed: one or more synchronization tasks completed unsuccessfully; PreSync hook Job/cart/migrate Failed: Job has reached the specified backoff limit',
    );
  });

  it('fails when the application is Degraded, and reads the stored status when refresh is not allowed', async () => {
    backend.state.forbidRefresh = true;
    backend.state.apps.set(
      'cart',
      summary('cart', {
        sync: 'Synced',
        health: 'Degraded',
        conditions: [
          {
            type: 'ComparisonError',
            message: 'Deployment/cart/web: image pull failed',
          },
        ],
      }),
    );
    const ctx = actionContext({
      input: { name: 'cart', timeoutSeconds: 10 },
      credentials: backend.credentials,
    });
    await expect(wait.handler(ctx as any)).rejects.toThrow(
      '"cart" did not become healthy: application is Degraded; ComparisonError: Deployment/cart/web: image pull failed',
    );
  });

  it('gives up at the timeout with the last state seen', async () => {
    backend.state.apps.set(
      'cart',
      summary('cart', { sync: 'Synced', health: 'Progressing' }),
    );
    const ctx = actionContext({
      input: { name: 'cart', timeoutSeconds: 1 },
      credentials: backend.credentials,
    });
    await expect(wait.handler(ctx as any)).rejects.toThrow(
      '"cart" was not Synced and Healthy within 1 s; last seen: Synced and Progressing',
    );
  });
});
