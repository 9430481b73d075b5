import { Manifest } from '../../engine';
import {
  IgnoreDifferencesRule,
  JqPaths,
  matchingRules,
  normalise,
} from '../../engine/diff';
import { redact, secretValuesOf } from '../syncSecrets';
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
): Promise<JqPaths | undefined> {
  const expressions = [
    ...new Set(
      matchingRules(rules, desired).flatMap(r => r.jqPathExpressions ?? []),
    ),
  ];
  if (expressions.length === 0) return undefined;
  const sides = { desired: normalise(desired), live: normalise(live) };
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
