import { Manifest } from '../manifest';
import { arrayAt, stringAt } from './fields';
import { ResourceHealth } from './types';

/** Only a LoadBalancer waits for something: the cloud to hand out an address. */
export function serviceHealth(obj: Manifest): ResourceHealth {
  if (
    stringAt(obj, 'spec', 'type') === 'LoadBalancer' &&
    arrayAt(obj, 'status', 'loadBalancer', 'ingress').length === 0
  ) {
    return {
      status: 'Progressing',
      message: 'Waiting for the load balancer to get an address',
    };
  }
  return { status: 'Healthy' };
}
