/**
 * The sync operation as a pure state machine: `planSync` makes the initial
 * state, `nextStep` advances it one step at a time. See README.md.
 */
export * from './types';
export { planSync } from './plan';
export type { PlanInput } from './plan';
export { nextStep, isFinished, requestTermination } from './step';
export { hookPhaseOf, observeResources } from './observe';
export { abandonRetry, backoffDelay, parseDuration, retryDue } from './retry';
export { describeTask } from './actions';
export { respectIgnoreDifferences } from './respectIgnored';
export { restoreManifests } from './restore';
export { sharedResourceWarning, sharedWith } from './sharedResource';
export type { SyncDestination } from './createNamespace';
