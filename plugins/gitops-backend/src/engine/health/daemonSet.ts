import { Manifest } from '../manifest';
import { generationOf, numberAt, stringAt } from './fields';
import { ResourceHealth } from './types';

/** Follows `kubectl rollout status` for DaemonSets, as Argo CD does. */
export function daemonSetHealth(obj: Manifest): ResourceHealth {
  const observed = numberAt(obj, 'status', 'observedGeneration') ?? 0;
  if (generationOf(obj) > observed) {
    return {
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    };
  }
  const desired = numberAt(obj, 'status', 'desiredNumberScheduled') ?? 0;
  const updated = numberAt(obj, 'status', 'updatedNumberScheduled') ?? 0;
  const available = numberAt(obj, 'status', 'numberAvailable') ?? 0;
  // OnDelete never replaces pods by itself; old pods are expected.
  if (stringAt(obj, 'spec', 'updateStrategy', 'type') === 'OnDelete') {
    return {
      status: 'Healthy',
      message: `daemon set ${updated} out of ${desired} new pods have been updated`,
    };
  }
  if (updated < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for daemon set "${obj.metadata.name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    };
  }
  if (available < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for daemon set "${obj.metadata.name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
    };
  }
  return { status: 'Healthy' };
}
