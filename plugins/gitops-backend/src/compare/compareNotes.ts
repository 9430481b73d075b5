import { ApplicationCondition } from '@backstage-gitops/plugin-gitops-common';
import { Manifest, describeObject } from '../engine';
import { ResourceComparison } from '../engine/diff';

/**
 * Adds a Warning for each rule or option of a comparison that could not be
 * applied (a jq expression that fails, a managedFields entry we cannot
 * read), once per message: such a rule changes nothing, and users must see
 * why their ignoreDifferences did not hold.
 */
export function withNotesAsWarnings(
  comparison: ResourceComparison,
  manifest: Manifest,
  conditions: ApplicationCondition[],
): ResourceComparison {
  for (const note of comparison.notes) {
    const message = `${describeObject(manifest)}: ${note.source} "${
      note.expression
    }" not applied: ${note.message}`;
    if (!conditions.some(c => c.message === message)) {
      conditions.push({ type: 'Warning', message });
    }
  }
  return comparison;
}
