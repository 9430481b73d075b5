import { Manifest } from '../manifest';
import { stringAt } from './fields';
import { ResourceHealth } from './types';

/** Argo CD has no built-in rule here; ours reads the phase the API server sets. */
export function namespaceHealth(obj: Manifest): ResourceHealth {
  const phase = stringAt(obj, 'status', 'phase');
  switch (phase) {
    case 'Active':
      return { status: 'Healthy' };
    case 'Terminating':
      return {
        status: 'Progressing',
        message: 'Namespace is being deleted',
      };
    default:
      return {
        status: 'Unknown',
        message: phase ? `Unknown phase "${phase}"` : 'No phase reported',
      };
  }
}
