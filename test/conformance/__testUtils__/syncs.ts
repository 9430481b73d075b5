import type { KubeConfig } from '@kubernetes/client-node';
import type { OperationDetail } from '@backstage-gitops/plugin-gitops-common';
import type { GitRepoServer } from '../../src/e2e/lib/gitRepoServer';
import type { GitopsApi } from './api';
import type { Fixture, SyncMode } from './fixtures';

export type FixtureCase = {
  fixture: Fixture;
  mode: SyncMode;
  app: string;
  namespace: string;
  /** Folder of the repository with the application's manifests. */
  path: string;
};

export type RunContext = {
  api: GitopsApi;
  kc: KubeConfig;
  repo: GitRepoServer;
};

/**
 * One sync as the mode starts it: a manual sync through the API, or the
 * automated sync a refresh starts when Git moved.
 */
export async function syncOnce(
  { api }: RunContext,
  c: FixtureCase,
  body: Record<string, unknown>,
  /** Runs once the operation has started, before it is followed to its end. */
  whileRunning?: (id: string) => Promise<void>,
): Promise<OperationDetail> {
  if (c.mode === 'manual') {
    const started = await api.sync(c.app, body);
    await whileRunning?.(started.id);
    return api.finished(c.app, started.id);
  }
  const before = new Set((await api.operations(c.app)).map(op => op.id));
  await api.refresh(c.app);
  for (let i = 0; i < 100; i++) {
    const fresh = (await api.operations(c.app)).find(op => !before.has(op.id));
    if (fresh) {
      expect(fresh.initiatedBy).toBe('automated');
      await whileRunning?.(fresh.id);
      return api.finished(c.app, fresh.id);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`the refresh of ${c.app} started no automated sync`);
}

/** Waits for the refresh the backend runs when an operation ends. */
export async function refreshedAfter(
  ctx: RunContext,
  c: FixtureCase,
  op: OperationDetail,
) {
  const end = Date.parse(op.finishedAt!);
  for (let i = 0; i < 150; i++) {
    const at = (await ctx.api.application(c.app)).status?.reconciledAt;
    if (at && Date.parse(at) >= end) return;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`${c.app} was not refreshed after its sync ended`);
}
