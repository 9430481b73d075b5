import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { syncOptions } from '../engine';
import { isPointerError, parsePointer } from '../engine/diff/pointer';

/**
 * What the engine would refuse in a definition's sync settings, in words, or
 * undefined. `-common` checks their shape; the names and values of sync
 * options and the syntax of pointers are the engine's, so checked here,
 * before the definition is served, rather than at the first sync.
 */
export function checkEngineSettings(
  application: Pick<ApplicationDefinition, 'syncPolicy' | 'ignoreDifferences'>,
): string | undefined {
  const parsed = syncOptions(
    undefined,
    application.syncPolicy?.syncOptions ?? [],
  );
  if (parsed.unknown.length > 0) {
    return `unknown sync option(s): ${parsed.unknown.join(', ')}`;
  }
  if (parsed.invalid.length > 0) {
    return `sync option(s) with a value they do not take: ${parsed.invalid.join(
      ', ',
    )}`;
  }
  for (const [index, rule] of (application.ignoreDifferences ?? []).entries()) {
    for (const pointer of rule.jsonPointers ?? []) {
      const segments = parsePointer(pointer);
      if (isPointerError(segments)) {
        return `ignoreDifferences[${index}]: jsonPointer "${pointer}": ${segments.message}`;
      }
      if (segments.length === 0) {
        return `ignoreDifferences[${index}]: the empty jsonPointer would ignore the whole object`;
      }
    }
  }
  return undefined;
}
