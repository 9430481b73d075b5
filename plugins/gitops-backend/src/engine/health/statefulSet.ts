import { Manifest } from '../manifest';
import { generationOf, numberAt, stringAt, fieldAt } from './fields';
import { ResourceHealth } from './types';

/** Follows `kubectl rollout status` for StatefulSets, as Argo CD does. */
export function statefulSetHealth(obj: Manifest): ResourceHealth {
  const observed = numberAt(obj, 'status', 'observedGeneration') ?? 0;
  if (observed === 0 || generationOf(obj) > observed) {
    return {
      status: 'Progressing',
      message: 'Waiting for statefulset spec update to be observed...',
    };
  }
  const desired = numberAt(obj, 'spec', 'replicas');
  const ready = numberAt(obj, 'status', 'readyReplicas') ?? 0;
  const updated = numberAt(obj, 'status', 'updatedReplicas') ?? 0;
  if (desired !== undefined && ready < desired) {
    return {
      status: 'Progressing',
      message: `Waiting for ${desired - ready} pods to be ready...`,
    };
  }
  const strategy = stringAt(obj, 'spec', 'updateStrategy', 'type');
  // With a partition only the pods at or above it are updated, so the rollout
  // is complete once those are; comparing revisions would wait forever.
  if (
    strategy === 'RollingUpdate' &&
    fieldAt(obj, ['spec', 'updateStrategy', 'rollingUpdate']) !== undefined
  ) {
    const partition = numberAt(
      obj,
      'spec',
      'updateStrategy',
      'rollingUpdate',
      'partition',
    );
    if (desired !== undefined && partition !== undefined) {
      const target = desired - partition;
      if (updated < target) {
        return {
          status: 'Progressing',
          message: `Waiting for partitioned roll out to finish: ${updated} out of ${target} new pods have been updated...`,
        };
      }
    }
    return {
      status: 'Healthy',
      message: `partitioned roll out complete: ${updated} new pods have been updated...`,
    };
  }
  // OnDelete never replaces pods by itself; old revisions are expected.
  if (strategy === 'OnDelete') {
    return {
      status: 'Healthy',
      message: `statefulset has ${ready} ready pods`,
    };
  }
  const currentRevision = stringAt(obj, 'status', 'currentRevision');
  const updateRevision = stringAt(obj, 'status', 'updateRevision');
  if (updateRevision !== currentRevision) {
    return {
      status: 'Progressing',
      message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
    };
  }
  return {
    status: 'Healthy',
    message: `statefulset rolling update complete ${
      numberAt(obj, 'status', 'currentReplicas') ?? 0
    } pods at revision ${currentRevision}...`,
  };
}
