import fs from 'fs';
import path from 'path';
import { parse, parseAllDocuments } from 'yaml';

/** How a fixture's application syncs: by hand, or automated with prune and selfHeal. */
export type SyncMode = 'manual' | 'automated';

/** One expected row of the operation's per-resource results. */
export type ExpectedTask = {
  kind: string;
  /** The object's name; `prefix-*` matches a `generateName` hook. */
  name: string;
  syncPhase?: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  wave?: number;
  status?: string;
  hookPhase?: string;
  action?: string;
  health?: string;
};

/** What `fixture.yaml` holds next to the fixture's manifests. */
export type Fixture = {
  name: string;
  /** The documented behaviour, in one sentence. */
  behaviour: string;
  /** Where Argo CD documents it, e.g. `user-guide/sync-waves`. */
  docs: string;
  /** Merged into the Application's `spec.syncPolicy` (automated is added per mode). */
  syncPolicy?: Record<string, unknown>;
  /** A destination namespace the test does not create (CreateNamespace). */
  createsNamespace?: boolean;
  /** More of the Application's `spec.source` (`directory`, `helm`, `kustomize`). */
  source?: Record<string, unknown>;
  /** The Application's `spec.ignoreDifferences`, as written for Argo CD. */
  ignoreDifferences?: Record<string, unknown>[];
  /** Put before the application's name, e.g. `example.` for a dotted name. */
  appNamePrefix?: string;
  /**
   * Another application of the same manifests and destination (manual, no
   * sync options), named `<app>-first`: it is synced before the checked
   * sync, so it owns the objects first (shared resources).
   */
  companion?: boolean;
  /**
   * The Application's `spec.syncPolicy` in Git from the `after/` revision on
   * (automated mode only): the mode's automated policy is not added. Once
   * the backend shows the new definition, refreshes must start no sync and
   * the checked sync is a manual one.
   */
  syncPolicyAfter?: Record<string, unknown>;
  /**
   * The first revision's sync fails (automated mode; `after/` is the fix in
   * Git, and the next sync is the checked one), after `retries` retries.
   */
  firstRevisionFails?: {
    /** The failing hook as the last attempt left it, `Kind/name` or `Kind/prefix-*`. */
    hook: string;
    /** Retries the operation makes: `retry.limit`, 0 without a retry policy. */
    retries: number;
    /** The backoff before each retry, in seconds. */
    backoffSeconds?: number[];
    /** After the failure, no attempt or sync may start for this long. */
    quietSeconds: number;
  };
  /** Body of the manual sync request, e.g. `{ prune: true }`. */
  sync?: Record<string, unknown>;
  /** Modes to run; default both. A mode left out says why in `notes`. */
  modes?: SyncMode[];
  notes?: string;
  /**
   * A live edit after the checks: selfHeal must sync it back (automated);
   * a manual app must turn OutOfSync and start nothing.
   */
  drift?: {
    id: string;
    patch: Record<string, unknown>;
    /**
     * The edit is of a field `ignoreDifferences` ignores: the app stays
     * Synced and no sync starts, in either mode. Then a manual sync runs and
     * the object must match `afterSync` (kept with RespectIgnoreDifferences,
     * Git's value without it).
     */
    ignored?: { afterSync: Record<string, unknown> };
  };
  /** Set while a known finding makes it fail: the runner reports it skipped. */
  knownFailingUntil?: string;
  /** `manifests/` is the first revision; `after/`, if present, is committed and synced next. */
  revisions: Record<string, string>[];
  expect: {
    phase: string;
    tasks?: ExpectedTask[];
    /** Groups of `Kind/name`: each group starts only after the previous one finished. */
    order?: string[][];
    sync: 'Synced' | 'OutOfSync';
    health: string;
    /** Every object of the fixture's kinds in the namespace afterwards, as `Kind/name`. */
    live: string[];
    /** Resources the application lists as needing a prune (Prune=false keeps them). */
    requiresPruning?: string[];
    /** `Kind/name`s the operation must not have run (ApplyOutOfSyncOnly, a failed phase). */
    noTasks?: string[];
    /** Live objects, each matched (as a subset) against `has`. */
    objects?: { id: string; has: Record<string, unknown> }[];
    /** Condition types the application shows after the sync. */
    conditions?: string[];
    /** Condition types the companion application shows then. */
    companionConditions?: string[];
    /**
     * The checked sync records no history entry (selective sync), so a
     * rollback to it is refused and starts nothing.
     */
    noHistoryEntry?: boolean;
    /** The destination Namespace object, matched as a subset. */
    namespace?: Record<string, unknown>;
  };
};

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');

/** Every file below `dir` (a Helm chart has folders), by relative path. */
export function readManifests(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true }).sort()) {
    const file = path.join(dir, String(entry));
    if (fs.statSync(file).isFile()) {
      files[String(entry)] = fs.readFileSync(file, 'utf8');
    }
  }
  return files;
}

export function loadFixture(name: string): Fixture {
  const dir = path.join(FIXTURES, name);
  const spec = parse(fs.readFileSync(path.join(dir, 'fixture.yaml'), 'utf8'));
  const revisions = [readManifests(path.join(dir, 'manifests'))];
  if (fs.existsSync(path.join(dir, 'after'))) {
    revisions.push(readManifests(path.join(dir, 'after')));
  }
  return { ...spec, name, revisions };
}

/**
 * The fixture with `$APP` and `$NAMESPACE` in its expectations replaced by
 * the case's names (tracking ids and release names contain them).
 */
export function withNames(
  fixture: Fixture,
  app: string,
  namespace: string,
): Fixture {
  const text = JSON.stringify(fixture.expect)
    .replace(/\$APP/g, app)
    .replace(/\$NAMESPACE/g, namespace);
  return { ...fixture, expect: JSON.parse(text) };
}

const KNOWN_KINDS: Record<string, string> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  Pod: 'v1',
  Job: 'batch/v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
};

/** The kinds (with apiVersion) a fixture's manifests and expectations name. */
export function fixtureKinds(
  fixture: Fixture,
): { apiVersion: string; kind: string }[] {
  const kinds = new Map<string, string>();
  for (const revision of fixture.revisions) {
    for (const text of Object.values(revision)) {
      for (const doc of parseAllDocuments(text)) {
        // Helm templates are not YAML until rendered; their kinds are named
        // in the expectations instead.
        if (doc.errors.length) continue;
        const obj = doc.toJS() as { apiVersion?: string; kind?: string } | null;
        if (!obj?.kind || !obj.apiVersion) continue;
        // Kustomize's own files are input to the render, not objects.
        if (obj.apiVersion.startsWith('kustomize.config.k8s.io/')) continue;
        kinds.set(obj.kind, obj.apiVersion);
      }
    }
  }
  // Rendered sources (Jsonnet) are not YAML: the expectations name the kinds.
  const named = [
    ...fixture.expect.live,
    ...(fixture.expect.tasks ?? []).map(t => `${t.kind}/${t.name}`),
  ].map(id => id.split('/')[0]);
  for (const kind of named) {
    if (!kinds.has(kind) && KNOWN_KINDS[kind])
      kinds.set(kind, KNOWN_KINDS[kind]);
  }
  return [...kinds].map(([kind, apiVersion]) => ({ apiVersion, kind }));
}
