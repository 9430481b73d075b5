import { Manifest, resourceHealth } from '../../engine';
import { KubeObject } from '../ClusterClient';
import { LiveChange } from './liveStore';

/**
 * Whether a change can alter what a comparison reports: anything but the
 * status and the server's bookkeeping, or the status when it moves the
 * object's health. Controllers rewrite status all the time (a rollout, an
 * HPA's metrics) without either; refreshing the application for each would
 * only cost requests. Appearing and disappearing always matter.
 */
export function changeMatters({ before, after }: LiveChange): boolean {
  if (!before || !after) return true;
  if (
    JSON.stringify(comparable(before)) !== JSON.stringify(comparable(after))
  ) {
    return true;
  }
  return (
    JSON.stringify(resourceHealth(before as Manifest)) !==
    JSON.stringify(resourceHealth(after as Manifest))
  );
}

function comparable(obj: KubeObject) {
  const { status, ...rest } = obj;
  const { resourceVersion, managedFields, generation, ...metadata } =
    obj.metadata;
  return { ...rest, metadata };
}
