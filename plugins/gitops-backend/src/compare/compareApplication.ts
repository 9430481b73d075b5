import {
  ApplicationCondition,
  ApplicationDefinition,
  HealthStatusCode,
  SyncStatusCode,
  isWarningCondition,
} from '@backstage-gitops/plugin-gitops-common';
import pLimit from 'p-limit';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import {
  Manifest,
  aggregateHealth,
  hookTypes,
  isHook,
  isHookObject,
  isManifest,
  isSkipped,
  resourceHealth,
  resourceKey,
  syncWave,
  withEmptyName,
} from '../engine';
import { ResourceComparison, compareExtraneous } from '../engine/diff';
import { sharedResourceWarning, sharedWith } from '../engine/sync';
import { RepositoryService } from '../repository';
import { prepareDesired } from './desiredState';
import { LiveState, compareLive, directLiveState } from './liveState';
import { LiveDrift, liveDrift } from './liveDrift';
import { ComparisonMemo, comparisonSettings } from './comparisonMemo';
import { Reuse, compareWithDryRun } from './compareWithDryRun';

/** Dry-run requests of one comparison in flight at once. */
const COMPARE_CONCURRENCY = 8;

export type ResourceState = {
  key: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Sync wave; an unreadable annotation reads as 0 (a condition says why). */
  wave: number;
  /** Absent in Git but tracked live: what a prune would delete. */
  extraneous: boolean;
  health?: { status: HealthStatusCode; message?: string };
  comparison: ResourceComparison;
  /** Who owns the drifted paths live, for sync-loop detection. */
  drift?: LiveDrift;
};

export type ApplicationComparison = {
  revision?: string;
  sync: SyncStatusCode;
  health: HealthStatusCode;
  conditions: ApplicationCondition[];
  resources: ResourceState[];
  /** The prepared manifests, ready for a sync to apply. */
  desired: Manifest[];
  /**
   * Hooks and `Skip` objects, placed like `desired` but not compared: a sync
   * runs the hooks, and never prunes what Git still has.
   */
  hooks: Manifest[];
  /**
   * Live objects the application tracks that are hooks by their own
   * annotations: runs a delete policy kept. Shown as hooks; never compared,
   * never counted in sync status, never pruned.
   */
  liveHooks: Manifest[];
};

/**
 * One refresh of one application: render Git, place the manifests, and
 * compare each with the cluster. Desired state is what a server-side dry-run
 * apply would store, so defaults and webhooks never count as drift; where
 * the server refuses that dry run, a Warning says so and the comparison
 * goes on without it (mergePatchFallback.ts), so selfHeal still repairs the
 * drift. Hooks are not compared: they run during syncs only.
 *
 * Live objects come from `live`: the watch cache of the destination cluster
 * when the plugin runs one, else direct reads (see liveState.ts). Objects
 * that Git no longer has are found by their tracking id in every watched kind.
 *
 * With `memo` and the watch cache, a resource whose manifest, live
 * resourceVersion and settings are those of an earlier refresh keeps that
 * refresh's comparison, without a dry run (comparisonMemo.ts); so a refresh
 * with nothing changed asks the API server nothing.
 */
export async function compareApplication(options: {
  app: ApplicationDefinition;
  repository: RepositoryService;
  cluster: ClusterClient;
  /** Where live objects are read; direct reads when not given. */
  live?: LiveState;
  /** Comparisons kept from earlier refreshes; a hard refresh drops the app's. */
  memo?: ComparisonMemo;
  hard?: boolean;
  /**
   * A comparison nobody asked for (the poll loop, a live change): Git's
   * answer of a few seconds ago, shared by every application on the
   * repository, will do. A user's refresh asks Git.
   */
  background?: boolean;
}): Promise<ApplicationComparison> {
  const { app, repository, cluster } = options;
  const liveState = options.live ?? directLiveState(cluster);
  if (options.hard) options.memo?.forget(app.name);
  const rendered = await repository.render({
    appName: app.name,
    source: app.source,
    hard: options.hard,
    allowCachedRevision: options.background,
  });

  const conditions: ApplicationCondition[] = [];
  const candidates: { file: string; manifest: Manifest }[] = [];
  const hookCandidates: { file: string; manifest: Manifest }[] = [];
  for (const { file, manifest: written } of rendered.manifests) {
    const manifest = withEmptyName(written);
    if (!isManifest(manifest)) {
      conditions.push({
        type: 'InvalidSpecError',
        message: `${manifest.kind} in ${file} has no metadata.name`,
      });
      continue;
    }
    const hooks = hookTypes(manifest);
    if (hooks instanceof Error) {
      conditions.push({ type: 'InvalidSpecError', message: hooks.message });
      continue;
    }
    if (isHook(hooks) || isSkipped(hooks)) {
      hookCandidates.push({ file, manifest });
      continue;
    }
    candidates.push({ file, manifest });
  }

  const prepared = await prepareDesired({
    appName: app.name,
    destinationNamespace: app.destination.namespace,
    rendered: candidates,
    scopeOf: (apiVersion, kind) => cluster.scopeOf(apiVersion, kind),
  });
  for (const c of prepared.conditions) conditions.push(c);
  // One at a time: hooks named by generateName share a key until a sync
  // names them, and must not count as defined twice.
  const hookManifests: Manifest[] = [];
  for (const candidate of hookCandidates) {
    const placed = await prepareDesired({
      appName: app.name,
      destinationNamespace: app.destination.namespace,
      rendered: [candidate],
      scopeOf: (apiVersion, kind) => cluster.scopeOf(apiVersion, kind),
    });
    for (const c of placed.conditions) conditions.push(c);
    for (const r of placed.resources) hookManifests.push(r.manifest);
  }

  // An HPA of the application owns its target's replicas (see engine/diff).
  const hpas = prepared.resources
    .map(r => r.manifest)
    .filter(m => m.kind === 'HorizontalPodAutoscaler');
  const reuse: Reuse | undefined = options.memo && {
    memo: options.memo,
    settings: comparisonSettings(app, hpas),
    schemaEpoch: (apiVersion, kind) => liveState.schemaEpoch(apiVersion, kind),
  };
  // Each comparison not reused costs a dry-run request: several at once.
  const limit = pLimit(COMPARE_CONCURRENCY);
  const compared = await Promise.all(
    prepared.resources.map(({ key, manifest }) =>
      limit(() =>
        compareLive(liveState, refOf(manifest), (live, found) =>
          compareWithDryRun({
            cluster,
            app,
            key,
            manifest,
            live,
            hpas,
            conditions: found,
            reuse,
          }),
        ),
      ),
    ),
  );
  options.memo?.keepOnly(
    app.name,
    prepared.resources.map(r => r.key),
  );
  const resources: ResourceState[] = [];
  prepared.resources.forEach(({ key, manifest }, i) => {
    const { object: live, comparison } = compared[i];
    for (const c of compared[i].conditions) conditions.push(c);
    resources.push({
      ...identity(key, manifest),
      extraneous: false,
      health: live
        ? resourceHealth(live as Manifest)
        : { status: 'Missing', message: 'not found in the cluster' },
      comparison,
      drift: liveDrift(comparison, live as Manifest | undefined),
    });
  });
  // Named hooks are looked up too: a hook of the same name in another
  // application is as shared as any resource (generated names never are).
  const hookLive = await Promise.all(
    hookManifests
      .filter(m => m.metadata.name)
      .map(m =>
        limit(async () => ({
          manifest: m,
          ...(await liveState.get(refOf(m))),
        })),
      ),
  );
  for (const condition of sharedConditions(app.name, [
    ...prepared.resources.map(({ manifest }, i) => ({
      manifest,
      object: compared[i].object,
    })),
    ...hookLive,
  ])) {
    conditions.push(condition);
  }
  const tracked = (await liveState.extraneous(
    app.name,
    prepared.resources.map(r => r.manifest),
  )) as Manifest[];
  // Argo CD keeps hooks out of sync status and out of pruning: a hook that
  // stays behind (BeforeHookCreation, no policy, generateName) is no drift.
  const liveHooks = tracked.filter(isHookObject);
  for (const obj of tracked.filter(o => !isHookObject(o))) {
    resources.push({
      ...identity(resourceKey(obj), obj),
      extraneous: true,
      health: resourceHealth(obj),
      comparison: compareExtraneous(obj),
    });
  }

  const outOfSync =
    resources.some(r => r.comparison.status === 'OutOfSync') ||
    conditions.some(c => !isWarningCondition(c));
  return {
    revision: rendered.revision,
    sync: outOfSync ? 'OutOfSync' : 'Synced',
    health: aggregateHealth(
      resources.filter(r => !r.extraneous).map(r => r.health),
    ),
    conditions,
    resources,
    desired: prepared.resources.map(r => r.manifest),
    hooks: hookManifests,
    liveHooks,
  };
}

/** A SharedResourceWarning per object whose live copy another application tracks. */
function sharedConditions(
  appName: string,
  found: { manifest: Manifest; object?: KubeObject }[],
): ApplicationCondition[] {
  return found.flatMap(({ manifest, object }) => {
    const other = sharedWith(object as Manifest | undefined, appName);
    return other
      ? [
          {
            type: 'SharedResourceWarning' as const,
            message: sharedResourceWarning(refOf(manifest), appName, other),
          },
        ]
      : [];
  });
}

function identity(key: string, obj: Manifest) {
  const wave = syncWave(obj);
  return {
    key,
    wave: typeof wave === 'number' ? wave : 0,
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
  };
}

function refOf(m: Manifest) {
  return {
    apiVersion: m.apiVersion,
    kind: m.kind,
    name: m.metadata.name,
    namespace: m.metadata.namespace,
  };
}
