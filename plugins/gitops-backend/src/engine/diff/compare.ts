import { Manifest } from '../manifest';
import { CompareOptions, compareOptions } from '../syncOptions';
import { hpaIgnoreTargets } from './hpa';
import {
  IgnoreDifferencesRule,
  JqPaths,
  applyIgnoreRules,
} from './ignoreDifferences';
import { ignorePaths } from './ignorePaths';
import { maskSecret, maskSecretPair } from './mask';
import { normalise } from './normalise';
import { alignNamedLists, diffValues, toYaml } from './structuralDiff';
import {
  CompareNote,
  DiffChange,
  DiffResult,
  IgnoredPath,
  ResourceComparison,
} from './types';

export type CompareResourceInput = {
  /**
   * The manifest as the API server would store it: the result of a
   * server-side dry-run apply, so defaults and mutating webhooks are in it.
   */
  desired: Manifest;
  /** The object in the cluster; undefined when it does not exist. */
  live: Manifest | undefined;
  /** The manifest from Git, for its compare options. */
  manifest: Manifest;
  /** The application's `spec.ignoreDifferences`. */
  rules?: readonly IgnoreDifferencesRule[];
  /** HPAs of the application and those live in the object's namespace. */
  hpas?: readonly Manifest[];
  /** What the rules' jq path expressions select, evaluated by the caller. */
  jq?: JqPaths;
  /** Defaults to the manifest's `argocd.argoproj.io/compare-options`. */
  compareOptions?: CompareOptions;
};

/** Options we could not honour; they never change the outcome silently. */
function optionNotes(options: CompareOptions): CompareNote[] {
  const note = (
    problem: CompareNote['problem'],
    expression: string,
    message: string,
  ): CompareNote => ({
    source: 'compareOptions',
    problem,
    expression,
    message,
  });
  return [
    ...options.unknown.map(e => note('unsupported', e, 'unknown option')),
    ...options.invalid.map(e => note('invalid', e, 'value not accepted')),
    ...(options.serverSideDiff === false
      ? [
          note(
            'unsupported',
            'ServerSideDiff=false',
            'comparison always uses a server-side dry-run',
          ),
        ]
      : []),
    ...(options.includeMutationWebhook === false
      ? [
          note(
            'unsupported',
            'IncludeMutationWebhook=false',
            'the dry-run result always includes mutating webhooks',
          ),
        ]
      : []),
  ];
}

function result(
  changes: DiffChange[],
  desired: Manifest | undefined,
  live: Manifest | undefined,
  ignored: IgnoredPath[],
  notes: CompareNote[],
): ResourceComparison {
  return {
    // Derived from the changes alone: an empty diff is never OutOfSync.
    status: changes.length > 0 ? 'OutOfSync' : 'Synced',
    diff: lazyTexts(changes, desired, live),
    ignored,
    notes,
  };
}

/**
 * The texts are rendered when first read, once: rendering YAML was most of
 * a comparison's time, and only the diffs someone may look at (a resource
 * that differs, or has ignored paths or notes) are ever read. The objects
 * given are already masked.
 */
function lazyTexts(
  changes: DiffChange[],
  desired: Manifest | undefined,
  live: Manifest | undefined,
): DiffResult {
  let texts: { desiredText: string; liveText: string } | undefined;
  const rendered = () =>
    (texts ??= {
      desiredText: toYaml(desired),
      liveText: toYaml(alignNamedLists(live, desired)),
    });
  const diff = { changes } as DiffResult;
  for (const key of ['desiredText', 'liveText'] as const) {
    // Enumerable, so copies (spread, JSON, structuredClone) carry the text.
    Object.defineProperty(diff, key, {
      get: () => rendered()[key],
      enumerable: true,
    });
  }
  return diff;
}

/**
 * Compares one resource from Git with the cluster. Both sides are
 * normalised, the paths that ignore rules and HPAs own are removed from both
 * (and listed), Secrets are masked, and what is left is diffed. A missing
 * live object is OutOfSync with the whole object to add; rules do not apply
 * to it, since the whole object will be created.
 */
export function compareResource(
  input: CompareResourceInput,
): ResourceComparison {
  const options = input.compareOptions ?? compareOptions(input.manifest);
  const notes = optionNotes(options);
  const desired = normalise(input.desired);
  if (!input.live) {
    const masked = maskSecret(desired);
    const added: DiffChange = { path: '', op: 'add', desired: masked };
    return result([added], masked, undefined, [], notes);
  }
  const byRules = applyIgnoreRules(
    desired,
    normalise(input.live),
    input.rules ?? [],
    { managedFields: input.live.metadata.managedFields, jq: input.jq },
  );
  const byHpa = ignorePaths(
    byRules.desired,
    byRules.live,
    hpaIgnoreTargets(desired, input.hpas ?? []),
  );
  const masked = maskSecretPair(byHpa.desired, byHpa.live);
  return result(
    diffValues(masked.desired, masked.live),
    masked.desired,
    masked.live,
    [...byRules.ignored, ...byHpa.ignored],
    [...notes, ...byRules.notes],
  );
}

/**
 * A live object the application tracks but Git no longer has: OutOfSync,
 * because a sync with pruning would delete it, unless it carries the compare
 * option `IgnoreExtraneous`, in which case it is listed as ignored and does
 * not count. Whether it is actually pruned is the sync's decision.
 */
export function compareExtraneous(
  live: Manifest,
  options: CompareOptions = compareOptions(live),
): ResourceComparison {
  const masked = maskSecret(normalise(live));
  const notes = optionNotes(options);
  if (options.ignoreExtraneous) {
    const ignored: IgnoredPath = {
      path: '',
      reason: 'compare option IgnoreExtraneous',
      differs: true,
    };
    return result([], undefined, masked, [ignored], notes);
  }
  const removed: DiffChange = { path: '', op: 'remove', live: masked };
  return result([removed], undefined, masked, [], notes);
}
