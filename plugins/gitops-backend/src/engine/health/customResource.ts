import { Manifest } from '../manifest';
import { Condition, conditionsOf, generationOf, numberAt } from './fields';
import { ResourceHealth } from './types';

// Reasons controllers use while they are still working towards Ready (Flux,
// Crossplane, cert-manager, kstatus conventions). Matched as a leading
// CamelCase word, or `...InProgress`, so `PendingDeletion` counts but
// `Pendingly` would not.
const IN_PROGRESS_WORDS = [
  'Progressing',
  'Reconciling',
  'Pending',
  'Creating',
  'Updating',
  'Provisioning',
  'Initializing',
  'Waiting',
  'Deploying',
  'Starting',
  'Scaling',
  'Issuing',
  'InProgress',
];

export function isInProgressReason(reason: string | undefined): boolean {
  if (!reason) {
    return false;
  }
  if (reason.endsWith('InProgress') || reason === 'DependencyNotReady') {
    return true;
  }
  return IN_PROGRESS_WORDS.some(
    word =>
      reason.startsWith(word) &&
      (reason.length === word.length || /[A-Z]/.test(reason[word.length])),
  );
}

function describe(condition: Condition): string {
  return condition.message || condition.reason || condition.type;
}

function isTrue(conditions: Condition[], type: string): Condition | undefined {
  return conditions.find(c => c.type === type && c.status === 'True');
}

// Conditions that, when true, say the controller is still at work. Issuing is
// cert-manager's: a new Certificate is Ready=False(DoesNotExist) while it is
// issued, and Argo CD's own cert-manager check calls that Progressing.
function working(conditions: Condition[]): Condition | undefined {
  return isTrue(conditions, 'Reconciling') ?? isTrue(conditions, 'Issuing');
}

/**
 * Health of a kind without a built-in rule, read from `status.conditions`.
 * Argo CD reports no health for such kinds unless a Lua script exists; we
 * read the conventions most controllers follow, and report no health
 * (undefined) rather than guess when none applies:
 *
 * - no conditions → no health;
 * - `status.observedGeneration` behind `metadata.generation` → Progressing;
 * - `Stalled` or `Failed` true → Degraded;
 * - `Ready` (else `Available`): True → Healthy; Unknown, or a condition
 *   written for an older generation → Progressing; False → Progressing when
 *   its reason says work is under way (see IN_PROGRESS_WORDS) or
 *   `Reconciling`/`Issuing` is true, else Degraded;
 * - otherwise `Reconciling`/`Issuing` true → Progressing; else no health.
 */
export function customResourceHealth(
  obj: Manifest,
): ResourceHealth | undefined {
  const conditions = conditionsOf(obj);
  if (conditions.length === 0) {
    return undefined;
  }
  const generation = generationOf(obj);
  const observed = numberAt(obj, 'status', 'observedGeneration');
  if (observed !== undefined && observed < generation) {
    return {
      status: 'Progressing',
      message: `Waiting for the controller to observe generation ${generation}`,
    };
  }
  const failed = isTrue(conditions, 'Stalled') ?? isTrue(conditions, 'Failed');
  if (failed) {
    return { status: 'Degraded', message: describe(failed) };
  }
  const ready =
    conditions.find(c => c.type === 'Ready') ??
    conditions.find(c => c.type === 'Available');
  if (ready) {
    const stale =
      ready.observedGeneration !== undefined &&
      ready.observedGeneration < generation;
    if (stale || ready.status === 'Unknown') {
      return { status: 'Progressing', message: describe(ready) };
    }
    if (ready.status === 'True') {
      return { status: 'Healthy', message: ready.message };
    }
    const inProgress =
      isInProgressReason(ready.reason) || working(conditions) !== undefined;
    return {
      status: inProgress ? 'Progressing' : 'Degraded',
      message: describe(ready),
    };
  }
  const busy = working(conditions);
  return busy ? { status: 'Progressing', message: describe(busy) } : undefined;
}
