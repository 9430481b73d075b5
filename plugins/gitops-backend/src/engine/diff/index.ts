/**
 * The pure diff: what counts as drift between Git and the cluster, and the
 * change list the UI renders. See README.md for the semantics.
 */
export * from './types';
export {
  normalise,
  LAST_APPLIED_ANNOTATION,
  DEPLOYMENT_REVISION_ANNOTATION,
} from './normalise';
export {
  SECRET_MASK,
  CHANGED_SECRET_MASK,
  isSecret,
  maskSecret,
  maskSecretPair,
} from './mask';
export { matchingRules, applyIgnoreRules } from './ignoreDifferences';
export type {
  IgnoreDifferencesRule,
  IgnoreRulesResult,
  JqPaths,
} from './ignoreDifferences';
export { hpaOwningReplicas, replicasOwnedByHpa } from './hpa';
export { diffValues } from './structuralDiff';
export { compareResource, compareExtraneous } from './compare';
export type { CompareResourceInput } from './compare';
export { parsePointer, formatPointer } from './pointer';
export type { PathSegment } from './pointer';
export type { PointerError } from './pointer';
export { keepIgnoredLiveValues } from './respectIgnoreDifferences';
