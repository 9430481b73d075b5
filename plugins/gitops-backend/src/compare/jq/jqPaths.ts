import { Manifest, resourceKey, syncOptions } from '../../engine';
import {
  IgnoreDifferencesRule,
  JqPaths,
  matchingRules,
  normalise,
} from '../../engine/diff';
import { redact, secretValuesOf } from '../../sync/syncSecrets';
import { JqRunner, createJqRunner } from './jqRunner';

let shared: JqRunner | undefined;

/** One runner for the process: a worker thread, started on first use. */
export function sharedJqRunner(): JqRunner {
  return (shared ??= createJqRunner());
}

/**
 * Evaluates the jq path expressions of the rules that match `desired`, on
 * the normalised desired and live objects, as the engine's comparison will
 * see them. Undefined when no rule has one, so most comparisons never start
 * jq. A failing expression is reported by the engine as a note.
 */
export async function evaluateJqPaths(
  rules: readonly IgnoreDifferencesRule[],
  desired: Manifest,
  live: Manifest,
  runner: JqRunner = sharedJqRunner(),
  options: { normalised?: boolean } = {},
): Promise<JqPaths | undefined> {
  const expressions = [
    ...new Set(
      matchingRules(rules, desired).flatMap(r => r.jqPathExpressions ?? []),
    ),
  ];
  if (expressions.length === 0) return undefined;
  // Normalised for a comparison (what compareResource diffs); as given for
  // a sync, whose manifests keep their live values at these very paths.
  const asGiven = options.normalised === false;
  const sides = asGiven
    ? { desired, live }
    : { desired: normalise(desired), live: normalise(live) };
  const result: JqPaths = {};
  for (const expression of expressions) {
    try {
      result[expression] = {
        desired: await runner.paths(expression, sides.desired),
        live: await runner.paths(expression, sides.live),
      };
    } catch (error) {
      // `error(.data.x)` would print a Secret's value in jq's message.
      const secrets = secretValuesOf([desired, live]);
      result[expression] = { error: redact((error as Error).message, secrets) };
    }
  }
  return result;
}

/**
 * jq paths of the manifests a sync applies with RespectIgnoreDifferences
 * (app-wide or their own annotation) that have a live object, by key.
 */
export async function jqPathsForSync(
  rules: readonly IgnoreDifferencesRule[],
  desired: readonly Manifest[],
  live: readonly Manifest[],
  appWide: readonly string[],
): Promise<Record<string, JqPaths>> {
  const result: Record<string, JqPaths> = {};
  if (!rules.some(rule => rule.jqPathExpressions?.length)) return result;
  const liveByKey = new Map(live.map(obj => [resourceKey(obj), obj]));
  for (const obj of desired) {
    const current = obj.metadata.name && liveByKey.get(resourceKey(obj));
    if (!current || !syncOptions(obj, appWide).respectIgnoreDifferences) {
      continue;
    }
    const paths = await evaluateJqPaths(rules, obj, current, undefined, {
      normalised: false,
    });
    if (paths) result[resourceKey(obj)] = paths;
  }
  return result;
}
