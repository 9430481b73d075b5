import { TRACKING_ID_ANNOTATION } from '@backstage-gitops/plugin-gitops-common';
import { Manifest, isTrackedBy, parseTrackingId } from '../../engine';
import { KubeObject } from '../ClusterClient';
import { WatchEvent } from '../kubeWatch';

/** A served kind at one version: `apps/v1/Deployment`, `v1/ConfigMap`. */
export type KindId = string;

export function kindIdOf(apiVersion: string, kind: string): KindId {
  return `${apiVersion}/${kind}`;
}

/** One object that appeared, changed, stopped being tracked or went away. */
export type LiveChange = { before?: KubeObject; after?: KubeObject };

export type EventOutcome = {
  changes: LiveChange[];
  /** 410 Gone: the resourceVersion is too old to resume from; list again. */
  expired: boolean;
  /** Another ERROR event: the watch must be started again. */
  error?: string;
};

/**
 * What the watches of one cluster know, as a pure value updated by list
 * results and watch events. Only objects carrying a tracking id are kept:
 * those are the ones compare and prune ask for (any other desired object is
 * read directly, as Argo CD does for objects it does not manage), and it keeps
 * the memory proportional to what the applications manage, not to the cluster.
 */
export class LiveStore {
  private readonly kinds = new Map<KindId, Map<string, KubeObject>>();
  private readonly versions = new Map<KindId, string>();
  /** Tracked objects by the application their id names, for prune lookups. */
  private readonly byApp = new Map<string, Map<string, KubeObject>>();

  /** The resourceVersion a watch of the kind resumes from. */
  resourceVersion(kindId: KindId): string | undefined {
    return this.versions.get(kindId);
  }

  get(kindId: KindId, namespace: string | undefined, name: string) {
    return this.kinds.get(kindId)?.get(objectKey(namespace, name));
  }

  /** Objects whose tracking id names the application and describes them. */
  trackedBy(appName: string): KubeObject[] {
    return [...(this.byApp.get(appName)?.values() ?? [])].filter(obj =>
      isTrackedBy(obj as Manifest, appName),
    );
  }

  /** How many objects are held, over all kinds. */
  size(): number {
    let total = 0;
    for (const objects of this.kinds.values()) total += objects.size;
    return total;
  }

  /** A full list: the kind's objects become exactly these. */
  replace(
    kindId: KindId,
    items: KubeObject[],
    listResourceVersion: string,
  ): LiveChange[] {
    const before = this.kinds.get(kindId) ?? new Map<string, KubeObject>();
    const after = new Map<string, KubeObject>();
    const changes: LiveChange[] = [];
    for (const item of items) {
      const obj = withKind(kindId, item);
      if (!isTracked(obj)) continue;
      const key = objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
      after.set(key, obj);
      const old = before.get(key);
      if (!old || versionOf(old) !== versionOf(obj)) {
        changes.push({ before: old, after: obj });
      }
    }
    for (const [key, old] of before) {
      if (!after.has(key)) changes.push({ before: old });
    }
    for (const change of changes) this.index(kindId, change);
    this.kinds.set(kindId, after);
    this.versions.set(kindId, listResourceVersion);
    return changes;
  }

  /** One watch event, in stream order. */
  apply(kindId: KindId, event: WatchEvent): EventOutcome {
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; message?: string };
      return status.code === 410
        ? { changes: [], expired: true }
        : {
            changes: [],
            expired: false,
            error: status.message ?? 'watch error',
          };
    }
    const version = versionOf(event.object);
    if (version) this.versions.set(kindId, version);
    if (event.type === 'BOOKMARK') return { changes: [], expired: false };

    const obj = withKind(kindId, event.object);
    const key = objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
    let objects = this.kinds.get(kindId);
    if (!objects) {
      objects = new Map();
      this.kinds.set(kindId, objects);
    }
    const old = objects.get(key);
    const keep = event.type !== 'DELETED' && isTracked(obj);
    if (keep) objects.set(key, obj);
    else objects.delete(key);

    const change: LiveChange = { before: old, after: keep ? obj : undefined };
    const changed = keep
      ? !old || versionOf(old) !== versionOf(obj)
      : old !== undefined;
    if (!changed) return { changes: [], expired: false };
    this.index(kindId, change);
    return { changes: [change], expired: false };
  }

  /** The kind is no longer served: its objects are gone with it. */
  drop(kindId: KindId): LiveChange[] {
    const changes = [...(this.kinds.get(kindId)?.values() ?? [])].map(
      before => ({ before }),
    );
    for (const change of changes) this.index(kindId, change);
    this.kinds.delete(kindId);
    this.versions.delete(kindId);
    return changes;
  }

  private index(kindId: KindId, { before, after }: LiveChange) {
    if (before) {
      const app = appNameOf(before);
      if (app) this.byApp.get(app)?.delete(indexKey(kindId, before));
    }
    if (after) {
      const app = appNameOf(after)!;
      let objects = this.byApp.get(app);
      if (!objects) {
        objects = new Map();
        this.byApp.set(app, objects);
      }
      objects.set(indexKey(kindId, after), after);
    }
  }
}

/**
 * The applications a change concerns: those whose id the object carried or
 * carries and that the id truly describes (a copy of a tracked object made by
 * some operator keeps the annotation, but is not the application's).
 */
export function applicationsOf(change: LiveChange): string[] {
  const names = new Set<string>();
  for (const obj of [change.before, change.after]) {
    const app = obj && appNameOf(obj);
    if (app && isTrackedBy(obj as Manifest, app)) names.add(app);
  }
  return [...names];
}

function appNameOf(obj: KubeObject): string | undefined {
  const annotations = obj.metadata.annotations as
    | Record<string, string>
    | undefined;
  const text = annotations?.[TRACKING_ID_ANNOTATION];
  return text === undefined ? undefined : parseTrackingId(text)?.appName;
}

function isTracked(obj: KubeObject): boolean {
  return appNameOf(obj) !== undefined;
}

function versionOf(obj: KubeObject): string | undefined {
  return obj.metadata?.resourceVersion as string | undefined;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function indexKey(kindId: KindId, obj: KubeObject): string {
  return `${kindId}|${objectKey(obj.metadata.namespace, obj.metadata.name!)}`;
}

// List items and some events omit apiVersion and kind; compare needs them.
function withKind(kindId: KindId, obj: KubeObject): KubeObject {
  const at = kindId.lastIndexOf('/');
  return {
    ...obj,
    apiVersion: kindId.slice(0, at),
    kind: kindId.slice(at + 1),
  };
}
