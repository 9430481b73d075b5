import { Manifest } from '../manifest';
import { booleanAt, findCondition, generationOf, numberAt } from './fields';
import { ResourceHealth } from './types';

/**
 * Follows `kubectl rollout status`, as Argo CD does: nothing the controller
 * reports counts until it has observed the current generation.
 */
export function deploymentHealth(obj: Manifest): ResourceHealth {
  if (booleanAt(obj, 'spec', 'paused')) {
    return { status: 'Suspended', message: 'Deployment is paused' };
  }
  const observed = numberAt(obj, 'status', 'observedGeneration') ?? 0;
  if (generationOf(obj) > observed) {
    return {
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: the controller has not observed the latest generation',
    };
  }
  // A Progressing condition with this reason is the controller's own verdict
  // that the rollout is stuck (spec.progressDeadlineSeconds elapsed).
  if (
    findCondition(obj, 'Progressing')?.reason === 'ProgressDeadlineExceeded'
  ) {
    return {
      status: 'Degraded',
      message: `Deployment "${obj.metadata.name}" exceeded its progress deadline`,
    };
  }
  const desired = numberAt(obj, 'spec', 'replicas');
  const replicas = numberAt(obj, 'status', 'replicas') ?? 0;
  const updated = numberAt(obj, 'status', 'updatedReplicas') ?? 0;
  const available = numberAt(obj, 'status', 'availableReplicas') ?? 0;
  if (desired !== undefined && updated < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
    };
  }
  if (replicas > updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${
        replicas - updated
      } old replicas are pending termination...`,
    };
  }
  if (available < updated) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}
