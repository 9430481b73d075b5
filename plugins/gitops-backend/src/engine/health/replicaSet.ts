import { Manifest } from '../manifest';
import { findCondition, generationOf, numberAt } from './fields';
import { ResourceHealth } from './types';

export function replicaSetHealth(obj: Manifest): ResourceHealth {
  const observed = numberAt(obj, 'status', 'observedGeneration') ?? 0;
  if (generationOf(obj) > observed) {
    return {
      status: 'Progressing',
      message:
        'Waiting for rollout to finish: observed replica set generation less than desired generation',
    };
  }
  // ReplicaFailure is set when pods cannot be created at all (quota, admission).
  const failure = findCondition(obj, 'ReplicaFailure');
  if (failure?.status === 'True') {
    return { status: 'Degraded', message: failure.message };
  }
  const desired = numberAt(obj, 'spec', 'replicas');
  const available = numberAt(obj, 'status', 'availableReplicas') ?? 0;
  if (desired !== undefined && available < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for rollout to finish: ${available} out of ${desired} new replicas are available...`,
    };
  }
  return { status: 'Healthy' };
}
