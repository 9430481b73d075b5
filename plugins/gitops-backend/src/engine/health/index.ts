import { HealthStatusCode } from '@backstage-gitops/plugin-gitops-common';
import { ignoreHealthcheck } from '../annotations';
import { Manifest, groupOf } from '../manifest';
import { apiServiceHealth } from './apiService';
import { cronJobHealth } from './cronJob';
import { customResourceHealth } from './customResource';
import { customResourceDefinitionHealth } from './customResourceDefinition';
import { daemonSetHealth } from './daemonSet';
import { deploymentHealth } from './deployment';
import { fieldAt } from './fields';
import { horizontalPodAutoscalerHealth } from './horizontalPodAutoscaler';
import { ingressHealth } from './ingress';
import { jobHealth } from './job';
import { namespaceHealth } from './namespace';
import { persistentVolumeClaimHealth } from './persistentVolumeClaim';
import { podHealth } from './pod';
import { replicaSetHealth } from './replicaSet';
import { serviceHealth } from './service';
import { statefulSetHealth } from './statefulSet';
import { HealthCheck, ResourceHealth } from './types';

export type { HealthCheck, ResourceHealth } from './types';
export { customResourceHealth, isInProgressReason } from './customResource';
export {
  apiServiceHealth,
  customResourceDefinitionHealth,
  cronJobHealth,
  daemonSetHealth,
  deploymentHealth,
  horizontalPodAutoscalerHealth,
  ingressHealth,
  jobHealth,
  namespaceHealth,
  persistentVolumeClaimHealth,
  podHealth,
  replicaSetHealth,
  serviceHealth,
  statefulSetHealth,
};

// Keyed by `group/kind`: the same kind name in another group (a CRD called
// Deployment) must not be judged by the built-in rule.
const BUILT_IN: Record<string, HealthCheck> = {
  'apps/Deployment': deploymentHealth,
  'extensions/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'extensions/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  'extensions/ReplicaSet': replicaSetHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  '/PersistentVolumeClaim': persistentVolumeClaimHealth,
  '/Namespace': namespaceHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  'extensions/Ingress': ingressHealth,
  'batch/Job': jobHealth,
  'batch/CronJob': cronJobHealth,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerHealth,
  'apiregistration.k8s.io/APIService': apiServiceHealth,
  'apiextensions.k8s.io/CustomResourceDefinition':
    customResourceDefinitionHealth,
};

/**
 * Health checks added by backend modules, looked up by group and kind. A
 * function, so that the engine holds no registry of its own.
 */
export type CustomHealthChecks = (
  group: string,
  kind: string,
) => ((obj: Manifest) => ResourceHealth | undefined) | undefined;

/**
 * The health of one live object, or undefined when it has none to report
 * (a ConfigMap, a custom resource without conditions) or asks to be left out
 * with `argocd.argoproj.io/ignore-healthcheck: "true"`. Missing objects are
 * the caller's to report: there is no object to look at.
 */
export function resourceHealth(
  obj: Manifest,
  custom?: CustomHealthChecks,
): ResourceHealth | undefined {
  const ignored = ignoreHealthcheck(obj);
  if (ignored instanceof Error) {
    return { status: 'Unknown', message: ignored.message };
  }
  if (ignored) {
    return undefined;
  }
  if (fieldAt(obj, ['metadata', 'deletionTimestamp']) !== undefined) {
    return { status: 'Progressing', message: 'Pending deletion' };
  }
  // Registered checks come first, as Argo CD's health customizations do; one
  // that has no answer leaves the object to the built-in rules.
  const registered = custom?.(groupOf(obj), obj.kind)?.(obj);
  if (registered) {
    return registered;
  }
  const check = BUILT_IN[`${groupOf(obj)}/${obj.kind}`];
  return check ? check(obj) : customResourceHealth(obj);
}

/** From healthiest to least healthy, as Argo CD ranks them. */
export const HEALTH_ORDER: readonly HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

export function isWorse(
  candidate: HealthStatusCode,
  than: HealthStatusCode,
): boolean {
  return HEALTH_ORDER.indexOf(candidate) > HEALTH_ORDER.indexOf(than);
}

/**
 * An application's health: its worst child. Children without health do not
 * count, and an application with none is Healthy, as in Argo CD.
 */
export function aggregateHealth(
  children: ReadonlyArray<ResourceHealth | undefined>,
): HealthStatusCode {
  return children.reduce<HealthStatusCode>(
    (worst, child) =>
      child && isWorse(child.status, worst) ? child.status : worst,
    'Healthy',
  );
}
