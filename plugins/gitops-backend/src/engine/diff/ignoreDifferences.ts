import picomatch from 'picomatch';
import { Manifest, groupOf } from '../manifest';
import { IgnoreTarget, IgnoredPair, atPath, ignorePaths } from './ignorePaths';
import { locateOwnedPath, pathsOwnedBy } from './managedFields';
import { PathSegment, isPointerError, parsePointer } from './pointer';
import { CompareNote } from './types';

/** One entry of an Application's `spec.ignoreDifferences`, as in Argo CD. */
export type IgnoreDifferencesRule = {
  /** API group; empty or omitted is the core group. Globs such as `*` work. */
  group?: string;
  /** Required; globs such as `*` work. */
  kind: string;
  /** Exact; omitted matches every name. */
  name?: string;
  /** Exact; omitted matches every namespace. */
  namespace?: string;
  jsonPointers?: string[];
  /**
   * Applied from `JqPaths` the caller evaluated (jq runs outside the pure
   * engine, with time and size limits); without them, an `unsupported` note.
   */
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
};

export type IgnoreRulesResult = IgnoredPair & { notes: CompareNote[] };

/**
 * What each jq path expression selects in the desired and the live object
 * (both normalised), by expression, or why it could not be evaluated.
 */
export type JqPaths = Record<
  string,
  { desired: PathSegment[][]; live: PathSegment[][] } | { error: string }
>;

// Argo CD matches group and kind as globs and name and namespace exactly.
// picomatch takes neither an empty pattern nor an empty value, and the core
// group's name is the empty string, so those cases are decided here.
function globMatch(pattern: string, value: string): boolean {
  if (pattern === value || pattern === '*') {
    return true;
  }
  return (
    pattern !== '' &&
    value !== '' &&
    picomatch.isMatch(value, pattern, { dot: true })
  );
}

/** The rules that apply to an object. */
export function matchingRules(
  rules: readonly IgnoreDifferencesRule[],
  obj: Manifest,
): IgnoreDifferencesRule[] {
  const { name, namespace } = obj.metadata;
  return rules.filter(
    rule =>
      globMatch(rule.group ?? '', groupOf(obj)) &&
      globMatch(rule.kind, obj.kind) &&
      (!rule.name || rule.name === name) &&
      (!rule.namespace || rule.namespace === (namespace ?? '')),
  );
}

function pointerTargets(
  rule: IgnoreDifferencesRule,
  notes: CompareNote[],
): IgnoreTarget[] {
  return (rule.jsonPointers ?? []).flatMap(pointer => {
    const segments = parsePointer(pointer);
    if (isPointerError(segments) || segments.length === 0) {
      notes.push({
        source: 'jsonPointers',
        problem: 'invalid',
        expression: pointer,
        message: isPointerError(segments)
          ? segments.message
          : 'the empty pointer would ignore the whole object',
      });
      return [];
    }
    return [atPath(segments, `ignoreDifferences: jsonPointer ${pointer}`)];
  });
}

function managerTargets(
  rule: IgnoreDifferencesRule,
  managedFields: unknown,
  notes: CompareNote[],
): IgnoreTarget[] {
  return (rule.managedFieldsManagers ?? []).flatMap(manager => {
    const { paths, problems } = pathsOwnedBy(managedFields, manager);
    for (const problem of problems) {
      notes.push({
        source: 'managedFieldsManagers',
        problem: 'unsupported',
        expression: manager,
        message: `managed fields of ${manager}: ${problem}`,
      });
    }
    const reason = `ignoreDifferences: managedFieldsManagers ${manager}`;
    return paths.map(steps => ({
      reason,
      locate: (doc: unknown) => locateOwnedPath(doc, steps),
    }));
  });
}

function jqTargets(
  rule: IgnoreDifferencesRule,
  jq: JqPaths | undefined,
  notes: CompareNote[],
): IgnoreTarget[] {
  return (rule.jqPathExpressions ?? []).flatMap(expression => {
    // Own entries only: an expression such as `constructor` is no result.
    const result =
      jq && Object.hasOwn(jq, expression) ? jq[expression] : undefined;
    if (!result || 'error' in result) {
      notes.push({
        source: 'jqPathExpressions',
        problem: result ? 'invalid' : 'unsupported',
        expression,
        message: result
          ? `${result.error}; differences it would hide still count`
          : 'not evaluated here: differences it would hide still count',
      });
      return [];
    }
    const reason = `ignoreDifferences: jqPathExpression ${expression}`;
    // Later list items first, so removing one never shifts the next.
    const sided = (side: 'desired' | 'live', paths: PathSegment[][]) =>
      [...paths]
        .sort(comparePathsDescending)
        .map(path => ({ ...atPath(path, reason), side }));
    return [...sided('desired', result.desired), ...sided('live', result.live)];
  });
}

function comparePathsDescending(a: PathSegment[], b: PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (typeof a[i] === 'number' && typeof b[i] === 'number') {
      return (b[i] as number) - (a[i] as number);
    }
    return String(b[i]) < String(a[i]) ? -1 : 1;
  }
  return b.length - a.length;
}

/**
 * Removes what the matching rules ignore from both sides and lists each
 * removed path with the rule that removed it. `managedFields` is the live
 * object's `metadata.managedFields`; pass it when `live` was normalised first.
 * Rules that cannot be applied come back as notes. Returns new objects when
 * anything is removed.
 */
export function applyIgnoreRules(
  desired: Manifest,
  live: Manifest | undefined,
  rules: readonly IgnoreDifferencesRule[],
  options: { managedFields?: unknown; jq?: JqPaths } = {},
): IgnoreRulesResult {
  const managedFields = options.managedFields ?? live?.metadata.managedFields;
  const notes: CompareNote[] = [];
  const targets = ignoreTargets(
    rules,
    desired,
    managedFields,
    notes,
    options.jq,
  );
  return { ...ignorePaths(desired, live, targets), notes };
}

/**
 * The paths the rules matching `obj` ignore, as targets to find in either
 * object; rules that cannot be applied add a note to `notes`.
 */
export function ignoreTargets(
  rules: readonly IgnoreDifferencesRule[],
  obj: Manifest,
  managedFields: unknown,
  notes: CompareNote[],
  jq?: JqPaths,
): IgnoreTarget[] {
  return matchingRules(rules, obj).flatMap(rule => [
    ...pointerTargets(rule, notes),
    ...managerTargets(rule, managedFields, notes),
    ...jqTargets(rule, jq, notes),
  ]);
}
