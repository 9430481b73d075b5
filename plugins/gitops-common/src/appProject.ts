/** @public A kind by API group, as AppProject resource lists name them (globs allowed). */
export type GroupKind = { group: string; kind: string };

/** @public Where a project's applications may deploy; each field a glob. */
export type ProjectDestination = {
  server?: string;
  name?: string;
  namespace?: string;
};

/**
 * Argo CD's sync window: from each time `schedule` (cron) fires, for
 * `duration`, syncs of the matching applications are allowed or denied.
 *
 * @public
 */
export type SyncWindow = {
  kind: 'allow' | 'deny';
  schedule: string;
  /** A Go duration such as `1h` or `30m`. */
  duration: string;
  /** Globs of application names, destination namespaces, cluster names. */
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  /** Manual syncs stay possible when this window would block them. */
  manualSync?: boolean;
  /** IANA time zone of the schedule; default UTC. */
  timeZone?: string;
};

/** @public Argo CD's `AppProject`: the rules an application's sync must keep. */
export type AppProject = {
  name: string;
  /** Globs of repository URLs; `!` in front denies. */
  sourceRepos: string[];
  destinations: ProjectDestination[];
  /** Absent or empty: no cluster-scoped kind is allowed, as in Argo CD. */
  clusterResourceWhitelist?: GroupKind[];
  clusterResourceBlacklist?: GroupKind[];
  /** Absent: every namespaced kind is allowed. */
  namespaceResourceWhitelist?: GroupKind[];
  namespaceResourceBlacklist?: GroupKind[];
  syncWindows: SyncWindow[];
};

/** @public Argo CD's built-in `default` project: everything is allowed. */
export const DEFAULT_PROJECT: AppProject = {
  name: 'default',
  sourceRepos: ['*'],
  destinations: [{ server: '*', name: '*', namespace: '*' }],
  clusterResourceWhitelist: [{ group: '*', kind: '*' }],
  syncWindows: [],
};
