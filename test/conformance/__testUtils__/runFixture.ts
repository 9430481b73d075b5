import { KubernetesObjectApi, PatchStrategy } from '@kubernetes/client-node';
import type {
  OperationDetail,
  OperationTask,
} from '@backstage-gitops/plugin-gitops-common';
import { applicationYaml } from './conformanceBackend';
import { fixtureKinds } from './fixtures';
import { checkFailedFirstRevision, watchRetries } from './failedFirstRevision';
import {
  LiveObject,
  liveObjects,
  matchesId,
  readNamespace,
} from './liveObjects';
import { FixtureCase, RunContext, refreshedAfter, syncOnce } from './syncs';

export type { FixtureCase, RunContext } from './syncs';

const HOOK_ANNOTATIONS = ['argocd.argoproj.io/hook', 'helm.sh/hook'];

/** The files of one revision of a case, under the case's folder. */
export function revisionFiles(c: FixtureCase, index: number) {
  const files: Record<string, string> = {};
  for (const [file, text] of Object.entries(c.fixture.revisions[index])) {
    files[`${c.path}/${file}`] = text;
  }
  return files;
}

/** The case's Argo CD Application, as `apps/` holds it. */
export function caseApplicationYaml(
  c: FixtureCase,
  syncPolicy: Record<string, unknown>,
  repoURL: string,
): string {
  return applicationYaml(
    {
      name: c.app,
      namespace: c.namespace,
      path: c.path,
      syncPolicy,
      source: c.fixture.source,
      ignoreDifferences: c.fixture.ignoreDifferences,
    },
    repoURL,
  );
}

function namePattern(name: string) {
  if (!name.endsWith('*')) return name;
  const prefix = name.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return expect.stringMatching(new RegExp(`^${prefix}.+`));
}

function taskOf(tasks: OperationTask[], id: string): OperationTask[] {
  const found = tasks.filter(
    t => t.action !== 'delete-hook' && matchesId(id, `${t.kind}/${t.name}`),
  );
  if (!found.length) {
    throw new Error(
      `no task for ${id}; tasks: ${tasks.map(t => `${t.kind}/${t.name}`)}`,
    );
  }
  return found;
}

function checkOrder(op: OperationDetail, groups: string[][]) {
  for (let i = 1; i < groups.length; i++) {
    const earlier = groups[i - 1].flatMap(id => taskOf(op.tasks, id));
    const later = groups[i].flatMap(id => taskOf(op.tasks, id));
    const lastEnd = Math.max(...earlier.map(t => Date.parse(t.finishedAt!)));
    for (const t of later) {
      expect({
        task: `${t.kind}/${t.name}`,
        startedAfterPreviousGroup: Date.parse(t.startedAt!) >= lastEnd,
      }).toEqual({
        task: `${t.kind}/${t.name}`,
        startedAfterPreviousGroup: true,
      });
    }
  }
}

/** Every pattern takes one live object; none may be left over. */
function checkLiveSet(actual: string[], expected: string[]) {
  const left = [...actual];
  const missing: string[] = [];
  for (const pattern of expected) {
    const at = left.findIndex(id => matchesId(pattern, id));
    if (at < 0) missing.push(pattern);
    else left.splice(at, 1);
  }
  expect({ missing, unexpected: left }).toEqual({
    missing: [],
    unexpected: [],
  });
}

/**
 * Whether the next sync may replace this live hook: a sync runs its hooks
 * again, deleting the old object first under BeforeHookCreation (also the
 * default). A named hook kept under another policy already exists, so it is
 * not run again and must stay as it is.
 */
function rerun(hook: LiveObject): boolean {
  const policy =
    hook.annotations['argocd.argoproj.io/hook-delete-policy'] ??
    hook.annotations['helm.sh/hook-delete-policy'];
  return !policy || /BeforeHookCreation|before-hook-creation/.test(policy);
}

/** Application objects whose every write a no-op sync must avoid. */
async function writableVersions(ctx: RunContext, c: FixtureCase) {
  const objects = await liveObjects(
    ctx.kc,
    c.namespace,
    fixtureKinds(c.fixture),
  );
  const versions: Record<string, string> = {};
  for (const obj of objects) {
    if (HOOK_ANNOTATIONS.some(a => a in obj.annotations) && rerun(obj)) {
      continue;
    }
    versions[obj.id] = obj.resourceVersion;
  }
  const ns = await readNamespace(ctx.kc, c.namespace);
  versions[`Namespace/${c.namespace}`] = ns?.metadata?.resourceVersion ?? '';
  return versions;
}

async function checkStatus(ctx: RunContext, c: FixtureCase, when: string) {
  const { expect: want } = c.fixture;
  const detail = await ctx.api.application(c.app);
  expect({
    when,
    sync: detail.status?.sync,
    health: detail.status?.health,
  }).toEqual({
    when,
    sync: want.sync,
    health: want.health,
  });
  const pruning = detail.resources
    .filter(r => r.requiresPruning)
    .map(r => `${r.kind}/${r.name}`)
    .sort();
  expect({ when, requiresPruning: pruning }).toEqual({
    when,
    requiresPruning: [...(want.requiresPruning ?? [])].sort(),
  });
  // Hooks left in the cluster are listed, as hooks: never drift.
  const live = await liveObjects(ctx.kc, c.namespace, fixtureKinds(c.fixture));
  for (const obj of live.filter(o =>
    HOOK_ANNOTATIONS.some(a => a in o.annotations),
  )) {
    const listed = detail.resources.find(r => `${r.kind}/${r.name}` === obj.id);
    expect({ when, hook: obj.id, listedAsHook: listed?.isHook }).toEqual({
      when,
      hook: obj.id,
      listedAsHook: true,
    });
  }
}

/**
 * Git turned automated sync off while the first sync ran: once the backend
 * serves the new definition, the app has had that one sync only (the
 * refresh that ended it started none), and two refreshes show the new
 * revision OutOfSync and start none either.
 */
async function checkAutomatedOff(ctx: RunContext, c: FixtureCase) {
  for (let i = 0; ; i++) {
    const detail = await ctx.api.application(c.app);
    if (!detail.syncPolicy?.automated) break;
    if (i === 150) {
      throw new Error(`${c.app} still shows an automated policy`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  // Only the first sync: neither the refresh that ended it nor these start one.
  for (const refresh of ['first', 'second']) {
    const status = await ctx.api.refresh(c.app);
    expect({
      refresh,
      sync: status.sync,
      operations: (await ctx.api.operations(c.app)).length,
    }).toEqual({ refresh, sync: 'OutOfSync', operations: 1 });
  }
}

/** The condition types the application (and its companion) must show. */
async function checkConditions(ctx: RunContext, c: FixtureCase) {
  const { expect: want } = c.fixture;
  const types = async (app: string) =>
    ((await ctx.api.application(app)).status?.conditions ?? []).map(
      condition => condition.type,
    );
  if (want.conditions) {
    expect({ conditions: await types(c.app) }).toEqual({
      conditions: expect.arrayContaining(want.conditions),
    });
  }
  if (want.companionConditions) {
    const first = `${c.app}-first`;
    await ctx.api.refresh(first);
    expect({ companionConditions: await types(first) }).toEqual({
      companionConditions: expect.arrayContaining(want.companionConditions),
    });
  }
}

/** `has` as a subset: objects by their keys, arrays by some of their items. */
function subset(has: unknown): unknown {
  if (Array.isArray(has)) return expect.arrayContaining(has.map(subset));
  if (has && typeof has === 'object') {
    return expect.objectContaining(
      Object.fromEntries(Object.entries(has).map(([k, v]) => [k, subset(v)])),
    );
  }
  return has;
}

/**
 * A selective sync names its resources as `Kind/name` in the fixture; the
 * API takes the keys the application's resource list shows, as the UI does.
 */
async function selectResources(
  ctx: RunContext,
  c: FixtureCase,
  body: Record<string, unknown>,
) {
  const wanted = body.resources as string[] | undefined;
  if (!wanted) return body;
  await ctx.api.refresh(c.app);
  const { resources } = await ctx.api.application(c.app);
  const keys = wanted.map(id => {
    const found = resources.find(r => `${r.kind}/${r.name}` === id);
    if (!found) throw new Error(`${c.app} lists no resource ${id}`);
    return found.key;
  });
  return { ...body, resources: keys };
}

/** Runs one fixture in one mode and checks everything it expects. */
export async function runFixture(ctx: RunContext, given: FixtureCase) {
  let c = given;
  const { fixture } = c;
  const want = fixture.expect;
  const body = fixture.sync ?? {};
  if (fixture.revisions.length > 1) {
    const policyAfter = fixture.syncPolicyAfter;
    const next = () =>
      ctx.repo.commit(
        {
          [c.path]: null,
          ...revisionFiles(c, 1),
          ...(policyAfter && {
            [`apps/${c.app}.yaml`]: caseApplicationYaml(
              c,
              policyAfter,
              ctx.repo.url,
            ),
          }),
        },
        `${c.app}: next revision`,
      );
    const retries = fixture.firstRevisionFails && watchRetries(ctx, c);
    // A policy change lands while the first sync runs: the refresh that ends
    // the sync must decide with the new definition (issue 12 finding 2).
    const first = await syncOnce(
      ctx,
      c,
      {},
      retries
        ? retries.follow
        : policyAfter &&
            (async id => {
              const { phase } = await ctx.api.operation(c.app, id);
              expect({ runningAtCommit: phase }).toEqual({
                runningAtCommit: 'Running',
              });
              await next();
            }),
    );
    if (retries) {
      await checkFailedFirstRevision(ctx, c, first, retries.messages);
    } else {
      expect({ firstRevision: first.phase }).toEqual({
        firstRevision: 'Succeeded',
      });
      await refreshedAfter(ctx, c, first);
    }
    if (policyAfter) {
      await checkAutomatedOff(ctx, c);
      c = { ...c, mode: 'manual' };
    } else {
      await next();
    }
  }
  if (fixture.companion) {
    const first = `${c.app}-first`;
    const owned = await ctx.api.finished(first, (await ctx.api.sync(first)).id);
    expect({ companionSync: owned.phase }).toEqual({
      companionSync: 'Succeeded',
    });
  }
  const op = await syncOnce(ctx, c, await selectResources(ctx, c, body));
  if (op.phase !== want.phase) {
    // The whole operation says why.
    const tasks = op.tasks.map(
      t =>
        `  ${t.syncPhase}/${t.wave} ${t.kind}/${t.name} ${t.action} ${
          t.status
        } ${t.hookPhase ?? ''} ${t.message}`,
    );
    throw new Error(
      `operation ${op.phase}, expected ${want.phase}: ${
        op.message
      }\n${tasks.join('\n')}`,
    );
  }
  for (const task of want.tasks ?? []) {
    expect(op.tasks).toContainEqual(
      expect.objectContaining({ ...task, name: namePattern(task.name) }),
    );
  }
  checkOrder(op, want.order ?? []);
  // A task left Pending never ran: the sync stopped before it.
  const tasked = op.tasks
    .filter(t => t.status !== 'Pending')
    .map(t => `${t.kind}/${t.name}`);
  expect({
    tasksNotExpected: tasked.filter(id => want.noTasks?.includes(id)),
  }).toEqual({ tasksNotExpected: [] });
  await refreshedAfter(ctx, c, op);
  await checkStatus(ctx, c, 'after the sync');
  const live = await liveObjects(ctx.kc, c.namespace, fixtureKinds(fixture));
  checkLiveSet(
    live.map(o => o.id),
    want.live,
  );
  for (const { id, has } of want.objects ?? []) {
    expect(live.find(o => o.id === id)?.object).toEqual(subset(has));
  }
  await checkConditions(ctx, c);
  if (want.namespace) {
    expect(await readNamespace(ctx.kc, c.namespace)).toMatchObject(
      want.namespace,
    );
  }

  // The suite's invariant: with Git unchanged, a refresh changes nothing
  // (and starts no automated sync), and a second sync writes nothing.
  const operations = (await ctx.api.operations(c.app)).length;
  await ctx.api.refresh(c.app);
  await checkStatus(ctx, c, 'after one more refresh');
  expect({
    operationsAfterRefresh: (await ctx.api.operations(c.app)).length,
  }).toEqual({
    operationsAfterRefresh: operations,
  });
  if (want.phase !== 'Succeeded') return;
  const before = await writableVersions(ctx, c);
  const again = await ctx.api.finished(
    c.app,
    (
      await ctx.api.sync(c.app, await selectResources(ctx, c, body))
    ).id,
  );
  expect({ secondSync: again.phase }).toEqual({ secondSync: 'Succeeded' });
  if (want.noHistoryEntry) await checkNoHistoryEntry(ctx, c, [op, again]);
  await refreshedAfter(ctx, c, again);
  expect(await writableVersions(ctx, c)).toEqual(before);
  await checkStatus(ctx, c, 'after a second sync');
  if (fixture.drift) await checkDrift(ctx, c);
}

/**
 * Argo CD records no history entry for these syncs, "and so rollback is not
 * possible" (selective sync): the History's rollback to each is refused and
 * starts no operation.
 */
async function checkNoHistoryEntry(
  ctx: RunContext,
  c: FixtureCase,
  ops: OperationDetail[],
) {
  const before = (await ctx.api.operations(c.app)).length;
  for (const op of ops) {
    const res = await ctx.api.rollback(c.app, op.id);
    expect({ rollbackTo: op.id, status: res.status }).toEqual({
      rollbackTo: op.id,
      status: 409,
    });
  }
  expect({
    operationsAfterRollbacks: (await ctx.api.operations(c.app)).length,
  }).toEqual({ operationsAfterRollbacks: before });
}

/**
 * A live edit makes the app OutOfSync; selfHeal syncs it back at the next
 * refresh, while a manual app waits for its user.
 */
async function checkDrift(ctx: RunContext, c: FixtureCase) {
  const drift = c.fixture.drift!;
  const [kind, name] = drift.id.split('/');
  const apiVersion = fixtureKinds(c.fixture).find(
    k => k.kind === kind,
  )!.apiVersion;
  await KubernetesObjectApi.makeApiClient(ctx.kc).patch(
    {
      apiVersion,
      kind,
      metadata: { name, namespace: c.namespace },
      ...drift.patch,
    },
    undefined,
    undefined,
    'conformance-live-edit',
    undefined,
    PatchStrategy.MergePatch,
  );
  const before = new Set((await ctx.api.operations(c.app)).map(op => op.id));
  const status = await ctx.api.refresh(c.app);
  const started = (await ctx.api.operations(c.app)).filter(
    op => !before.has(op.id),
  );
  if (drift.ignored) {
    expect({ status: status.sync, started: started.length }).toEqual({
      status: 'Synced',
      started: 0,
    });
    const synced = await ctx.api.finished(
      c.app,
      (
        await ctx.api.sync(c.app)
      ).id,
    );
    expect({ syncAfterEdit: synced.phase }).toEqual({
      syncAfterEdit: 'Succeeded',
    });
    await refreshedAfter(ctx, c, synced);
    await checkStatus(ctx, c, 'after a sync following the live edit');
    const live = await liveObjects(
      ctx.kc,
      c.namespace,
      fixtureKinds(c.fixture),
    );
    expect(live.find(o => o.id === drift.id)?.object).toEqual(
      subset(drift.ignored.afterSync),
    );
    return;
  }
  if (c.mode === 'manual') {
    expect({ status: status.sync, started: started.length }).toEqual({
      status: 'OutOfSync',
      started: 0,
    });
    return;
  }
  expect(started.map(op => op.initiatedBy)).toEqual(['automated']);
  const healed = await ctx.api.finished(c.app, started[0].id);
  expect({ selfHeal: healed.phase }).toEqual({ selfHeal: 'Succeeded' });
  await refreshedAfter(ctx, c, healed);
  await checkStatus(ctx, c, 'after selfHeal');
  const live = await liveObjects(ctx.kc, c.namespace, fixtureKinds(c.fixture));
  for (const { id, has } of c.fixture.expect.objects ?? []) {
    expect(live.find(o => o.id === id)?.object).toEqual(subset(has));
  }
}
