import { Manifest } from '../manifest';
import { arrayAt } from './fields';
import { ResourceHealth } from './types';

/**
 * As in Argo CD, an Ingress is healthy once its controller publishes an
 * address. Controllers that never publish one (some do not by default) keep
 * it Progressing; `argocd.argoproj.io/ignore-healthcheck` is the way out.
 */
export function ingressHealth(obj: Manifest): ResourceHealth {
  if (arrayAt(obj, 'status', 'loadBalancer', 'ingress').length === 0) {
    return {
      status: 'Progressing',
      message: 'Waiting for the ingress controller to publish an address',
    };
  }
  return { status: 'Healthy' };
}
