import { Manifest, groupOf, parseApiVersion } from '../manifest';
import { IgnoreTarget, atPath } from './ignorePaths';
import { isRecord } from './json';

function isHpa(obj: Manifest): boolean {
  return (
    obj.kind === 'HorizontalPodAutoscaler' && groupOf(obj) === 'autoscaling'
  );
}

/**
 * Whether this HPA scales this workload: same namespace, and
 * `spec.scaleTargetRef` names its kind and name, and its API group when the
 * reference gives an apiVersion (a Deployment of another group is not ours).
 */
function targets(hpa: Manifest, workload: Manifest): boolean {
  const spec = hpa.spec;
  const ref = isRecord(spec) ? spec.scaleTargetRef : undefined;
  if (!isHpa(hpa) || !isRecord(ref)) {
    return false;
  }
  const sameGroup =
    typeof ref.apiVersion !== 'string' ||
    parseApiVersion(ref.apiVersion)?.group === groupOf(workload);
  return (
    (hpa.metadata.namespace ?? '') === (workload.metadata.namespace ?? '') &&
    ref.kind === workload.kind &&
    ref.name === workload.metadata.name &&
    sameGroup
  );
}

/**
 * The HPA that owns a workload's replica count, if any. Pass the HPAs of the
 * application and those live in the workload's namespace, with their
 * namespaces filled in.
 */
export function hpaOwningReplicas(
  workload: Manifest,
  hpas: readonly Manifest[],
): Manifest | undefined {
  return hpas.find(hpa => targets(hpa, workload));
}

/**
 * When an HPA scales a workload, `spec.replicas` is the HPA's to set: Git's
 * value is only the starting point, and a difference is never drift.
 */
export function replicasOwnedByHpa(
  workload: Manifest,
  hpas: readonly Manifest[],
): boolean {
  return hpaOwningReplicas(workload, hpas) !== undefined;
}

/** What the diff leaves out because of an HPA, with the HPA as reason. */
export function hpaIgnoreTargets(
  workload: Manifest,
  hpas: readonly Manifest[],
): IgnoreTarget[] {
  const hpa = hpaOwningReplicas(workload, hpas);
  return hpa
    ? [
        atPath(
          ['spec', 'replicas'],
          `HorizontalPodAutoscaler ${hpa.metadata.name}`,
        ),
      ]
    : [];
}
