import {
  COMPARE_OPTIONS_ANNOTATION,
  SYNC_OPTIONS_ANNOTATION,
} from '@backstage-gitops/plugin-gitops-common';
import { splitList } from './annotations';
import { Manifest, annotation } from './manifest';

export type PropagationPolicy = 'foreground' | 'background' | 'orphan';

/** Sync options after the app-wide list and the resource's annotation are merged. */
export type SyncOptionValues = {
  createNamespace: boolean;
  /** `false` keeps the resource when it leaves Git; `confirm` waits for a user. */
  prune: boolean | 'confirm';
  /** Same as prune, but for deleting the whole application. */
  delete: boolean | 'confirm';
  pruneLast: boolean;
  applyOutOfSyncOnly: boolean;
  serverSideApply: boolean;
  clientSideApplyMigration: boolean;
  replace: boolean;
  force: boolean;
  validate: boolean;
  skipDryRunOnMissingResource: boolean;
  respectIgnoreDifferences: boolean;
  failOnSharedResource: boolean;
  prunePropagationPolicy: PropagationPolicy;
};

export type SyncOptions = SyncOptionValues & {
  /** Entries whose key we do not know, as written (`Foo=bar`). */
  unknown: string[];
  /** Entries with a known key and a value it does not take, as written. */
  invalid: string[];
};

// Argo CD's defaults when an option is not given (user-guide/sync-options).
export const DEFAULT_SYNC_OPTIONS: SyncOptionValues = {
  createNamespace: false,
  prune: true,
  delete: true,
  pruneLast: false,
  applyOutOfSyncOnly: false,
  serverSideApply: false,
  clientSideApplyMigration: true,
  replace: false,
  force: false,
  validate: true,
  skipDryRunOnMissingResource: false,
  respectIgnoreDifferences: false,
  failOnSharedResource: false,
  prunePropagationPolicy: 'foreground',
};

type Parser<T> = (value: string) => T | undefined;

// Argo CD compares option strings exactly, so `PruneLast=True` does nothing
// there; we reject it instead of accepting what Argo CD would ignore.
const bool: Parser<boolean> = value => {
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  return undefined;
};
const boolOrConfirm: Parser<boolean | 'confirm'> = value =>
  value === 'confirm' ? 'confirm' : bool(value);
const propagation: Parser<PropagationPolicy> = value =>
  value === 'foreground' || value === 'background' || value === 'orphan'
    ? value
    : undefined;

const SYNC_OPTION_KEYS: {
  [K in keyof SyncOptionValues]: [string, Parser<SyncOptionValues[K]>];
} = {
  createNamespace: ['CreateNamespace', bool],
  prune: ['Prune', boolOrConfirm],
  delete: ['Delete', boolOrConfirm],
  pruneLast: ['PruneLast', bool],
  applyOutOfSyncOnly: ['ApplyOutOfSyncOnly', bool],
  serverSideApply: ['ServerSideApply', bool],
  clientSideApplyMigration: ['ClientSideApplyMigration', bool],
  replace: ['Replace', bool],
  force: ['Force', bool],
  validate: ['Validate', bool],
  skipDryRunOnMissingResource: ['SkipDryRunOnMissingResource', bool],
  respectIgnoreDifferences: ['RespectIgnoreDifferences', bool],
  failOnSharedResource: ['FailOnSharedResource', bool],
  prunePropagationPolicy: ['PrunePropagationPolicy', propagation],
};

function splitEntry(entry: string): [string, string | undefined] {
  const at = entry.indexOf('=');
  return at < 0
    ? [entry.trim(), undefined]
    : [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
}

function applyEntry(
  options: SyncOptionValues,
  entry: string,
  unknown: string[],
  invalid: string[],
): SyncOptionValues {
  const [key, value] = splitEntry(entry);
  const field = (
    Object.keys(SYNC_OPTION_KEYS) as (keyof SyncOptionValues)[]
  ).find(name => SYNC_OPTION_KEYS[name][0] === key);
  if (!field) {
    unknown.push(entry);
    return options;
  }
  const parsed =
    value === undefined ? undefined : SYNC_OPTION_KEYS[field][1](value);
  if (parsed === undefined) {
    invalid.push(entry);
    return options;
  }
  return { ...options, [field]: parsed };
}

/**
 * Merges the application's `syncPolicy.syncOptions` with the resource's
 * `argocd.argoproj.io/sync-options` annotation; the resource wins per key.
 * Nothing is dropped silently: entries we cannot use come back in `unknown`
 * or `invalid` so the caller can show them.
 */
export function syncOptions(
  obj: Manifest | undefined,
  appWide: readonly string[],
): SyncOptions {
  const unknown: string[] = [];
  const invalid: string[] = [];
  const resource = splitList(
    (obj && annotation(obj, SYNC_OPTIONS_ANNOTATION)) ?? '',
  );
  const entries = [...appWide.map(entry => entry.trim()), ...resource].filter(
    Boolean,
  );
  const values = entries.reduce(
    (options, entry) => applyEntry(options, entry, unknown, invalid),
    DEFAULT_SYNC_OPTIONS,
  );
  return { ...values, unknown, invalid };
}

export type CompareOptions = {
  /** The resource never makes the application OutOfSync. */
  ignoreExtraneous: boolean;
  /** Undefined: follow the application's or the server's default. */
  serverSideDiff?: boolean;
  includeMutationWebhook?: boolean;
  unknown: string[];
  invalid: string[];
};

/** Reads `argocd.argoproj.io/compare-options` (user-guide/compare-options). */
export function compareOptions(obj: Manifest): CompareOptions {
  const result: CompareOptions = {
    ignoreExtraneous: false,
    unknown: [],
    invalid: [],
  };
  for (const entry of splitList(
    annotation(obj, COMPARE_OPTIONS_ANNOTATION) ?? '',
  )) {
    const [key, value] = splitEntry(entry);
    if (key === 'IgnoreExtraneous' && value === undefined) {
      result.ignoreExtraneous = true;
    } else if (key === 'ServerSideDiff' || key === 'IncludeMutationWebhook') {
      const parsed = value === undefined ? undefined : bool(value);
      if (parsed === undefined) {
        result.invalid.push(entry);
      } else if (key === 'ServerSideDiff') {
        result.serverSideDiff = parsed;
      } else {
        result.includeMutationWebhook = parsed;
      }
    } else if (key === 'IgnoreExtraneous') {
      result.invalid.push(entry);
    } else {
      result.unknown.push(entry);
    }
  }
  return result;
}
