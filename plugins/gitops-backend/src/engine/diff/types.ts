/**
 * Values the diff produces. They are stored and rendered by the UI as they
 * are, so every value in them has already been masked.
 */

/**
 * What a sync would do to the live object at one path: `add` a value only
 * Git has, `remove` a value only the cluster has, or `replace` one that
 * differs.
 */
export type DiffOp = 'add' | 'remove' | 'replace';

export type DiffChange = {
  /**
   * An RFC 6901 JSON pointer. It points into the desired object, except for
   * `remove`, where the value exists only in the live one. The two differ
   * only inside lists matched by name (see `structuralDiff.ts`).
   */
  path: string;
  op: DiffOp;
  desired?: unknown;
  live?: unknown;
};

export type DiffResult = {
  changes: DiffChange[];
  /** The compared desired object as YAML, keys sorted; empty when absent. */
  desiredText: string;
  /** The compared live object as YAML, list order aligned to desired. */
  liveText: string;
};

/**
 * A path left out of the comparison, and why, so the UI can show it as
 * ignored rather than hide it. `differs` says whether it would have counted.
 */
export type IgnoredPath = {
  path: string;
  reason: string;
  differs: boolean;
};

/**
 * A rule or option that could not be applied, as the user wrote it. Such a
 * rule changes nothing, so the UI must show the note next to the diff.
 */
export type CompareNote = {
  source:
    | 'jsonPointers'
    | 'jqPathExpressions'
    | 'managedFieldsManagers'
    | 'compareOptions';
  problem: 'unsupported' | 'invalid';
  expression: string;
  message: string;
};

export type ResourceSyncStatus = 'Synced' | 'OutOfSync';

export type ResourceComparison = {
  /** OutOfSync exactly when `diff.changes` is not empty. */
  status: ResourceSyncStatus;
  diff: DiffResult;
  ignored: IgnoredPath[];
  notes: CompareNote[];
};
