import { Manifest } from '../manifest';
import { stringAt } from './fields';
import { ResourceHealth } from './types';

export function persistentVolumeClaimHealth(obj: Manifest): ResourceHealth {
  const phase = stringAt(obj, 'status', 'phase');
  switch (phase) {
    case 'Bound':
      return { status: 'Healthy' };
    case 'Pending':
      return { status: 'Progressing', message: 'Waiting for a volume' };
    case 'Lost':
      return {
        status: 'Degraded',
        message: 'The bound volume no longer exists',
      };
    default:
      return {
        status: 'Unknown',
        message: phase ? `Unknown phase "${phase}"` : 'No phase reported',
      };
  }
}
