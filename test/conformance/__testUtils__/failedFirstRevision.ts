import type { OperationDetail } from '@backstage-gitops/plugin-gitops-common';
import { fixtureKinds } from './fixtures';
import { liveObjects, matchesId } from './liveObjects';
import { FixtureCase, RunContext, refreshedAfter } from './syncs';

/** What the operation says while it waits for retry `n`, due at `at`. */
const RETRY_MESSAGE = /; retry (\d+) of (\d+) at (\S+)$/;

/**
 * Follows a running operation, keeping every message it shows: a failed
 * attempt with retries left says which retry comes next and when, for as
 * long as the backoff lasts (the only place the API shows a retry count).
 */
export function watchRetries(ctx: RunContext, c: FixtureCase) {
  const messages: string[] = [];
  return {
    messages,
    async follow(id: string) {
      for (let i = 0; i < 1500; i++) {
        const op = await ctx.api.operation(c.app, id);
        if (op.message && messages[messages.length - 1] !== op.message) {
          messages.push(op.message);
        }
        if (op.phase !== 'Running') return;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },
  };
}

async function liveHooks(ctx: RunContext, c: FixtureCase, hook: string) {
  const live = await liveObjects(ctx.kc, c.namespace, fixtureKinds(c.fixture));
  return live.filter(o => matchesId(hook, o.id));
}

/**
 * The first revision's automated sync failed after every retry its policy
 * allows, each retry waiting its backoff, and none beyond the limit. Then,
 * with Git unchanged, refreshes start no sync: Argo CD does not reattempt a
 * sync of a revision whose sync failed, selfHeal or not (only the retry
 * policy does, inside the operation).
 */
export async function checkFailedFirstRevision(
  ctx: RunContext,
  c: FixtureCase,
  first: OperationDetail,
  messages: string[],
) {
  const fails = c.fixture.firstRevisionFails!;
  expect({ firstRevision: first.phase }).toEqual({ firstRevision: 'Failed' });
  const retries = messages
    .map(m => RETRY_MESSAGE.exec(m))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map(m => ({ n: Number(m[1]), of: Number(m[2]), at: Date.parse(m[3]) }));
  const expected = Array.from({ length: fails.retries }, (_, i) => i + 1);
  expect({ retries: retries.map(r => `${r.n} of ${r.of}`), messages }).toEqual({
    retries: expected.map(n => `${n} of ${fails.retries}`),
    messages,
  });
  // Each retry is due at least its backoff after the previous one was due
  // (the attempt between them takes time too).
  const backoff = fails.backoffSeconds ?? [];
  const spacing = retries.slice(1).map((r, i) => ({
    retry: r.n,
    backoffKept: r.at - retries[i].at >= backoff[i + 1] * 1000,
  }));
  expect(spacing).toEqual(spacing.map(s => ({ ...s, backoffKept: true })));
  await refreshedAfter(ctx, c, first);
  // The hook of the last attempt was created once its retry was due
  // (Kubernetes keeps whole seconds).
  const hooks = await liveHooks(ctx, c, fails.hook);
  expect({ hooks: hooks.length }).toEqual({ hooks: 1 });
  const last = retries[retries.length - 1];
  if (last) {
    const created = new Date(hooks[0].object.metadata!.creationTimestamp!);
    expect({
      lastAttemptWaited: created.getTime() >= Math.floor(last.at / 1000) * 1000,
    }).toEqual({ lastAttemptWaited: true });
  }

  const operations = (await ctx.api.operations(c.app)).length;
  const version = hooks[0].resourceVersion;
  for (const refresh of ['first', 'second']) {
    const status = await ctx.api.refresh(c.app);
    expect({ refresh, sync: status.sync }).toEqual({
      refresh,
      sync: 'OutOfSync',
    });
  }
  // Longer than the next backoff would be: no attempt beyond the limit.
  await new Promise(resolve => setTimeout(resolve, fails.quietSeconds * 1000));
  const after = await liveHooks(ctx, c, fails.hook);
  expect({
    operationsAfterRefreshes: (await ctx.api.operations(c.app)).length,
    hookUntouched: after.map(h => h.resourceVersion),
  }).toEqual({
    operationsAfterRefreshes: operations,
    hookUntouched: [version],
  });
}
