import { Manifest, annotation } from '../manifest';
import { Condition, conditionsOf } from './fields';
import { ResourceHealth } from './types';

// autoscaling/v1 has no conditions field; the API server carries them in this
// annotation as JSON instead.
const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

function hpaConditions(obj: Manifest): Condition[] | undefined {
  const text = annotation(obj, V1_CONDITIONS_ANNOTATION);
  if (text === undefined) {
    return conditionsOf(obj);
  }
  try {
    return conditionsOf({ status: { conditions: JSON.parse(text) } });
  } catch {
    return undefined;
  }
}

/**
 * AbleToScale and ScalingActive both true is healthy; either false is
 * degraded (metrics missing, target not found), except ScalingActive false
 * with ScalingDisabled, which Kubernetes reports when the target was scaled
 * to zero on purpose: that is Suspended. ScalingLimited only says the
 * replica count hit minReplicas or maxReplicas, which is working as intended.
 */
export function horizontalPodAutoscalerHealth(obj: Manifest): ResourceHealth {
  const conditions = hpaConditions(obj);
  if (conditions === undefined) {
    return {
      status: 'Unknown',
      message: `annotation ${V1_CONDITIONS_ANNOTATION} is not valid JSON`,
    };
  }
  const ableToScale = conditions.find(c => c.type === 'AbleToScale');
  const scalingActive = conditions.find(c => c.type === 'ScalingActive');
  if (ableToScale?.status === 'False') {
    return { status: 'Degraded', message: ableToScale.message };
  }
  if (scalingActive?.status === 'False') {
    return scalingActive.reason === 'ScalingDisabled'
      ? { status: 'Suspended', message: scalingActive.message }
      : { status: 'Degraded', message: scalingActive.message };
  }
  if (ableToScale?.status === 'True' && scalingActive?.status === 'True') {
    const limited = conditions.find(c => c.type === 'ScalingLimited');
    return {
      status: 'Healthy',
      message: limited?.message ?? scalingActive.message,
    };
  }
  return { status: 'Progressing', message: 'Waiting to autoscale' };
}
