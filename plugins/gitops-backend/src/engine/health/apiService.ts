import { Manifest } from '../manifest';
import { findCondition } from './fields';
import { ResourceHealth } from './types';

/**
 * As in Argo CD, an APIService that is not Available is Progressing, not
 * Degraded: its backing Service is usually part of the same sync and comes up
 * after it.
 */
export function apiServiceHealth(obj: Manifest): ResourceHealth {
  const available = findCondition(obj, 'Available');
  if (!available) {
    return { status: 'Progressing', message: 'Waiting to be processed' };
  }
  const message = [available.reason, available.message]
    .filter(Boolean)
    .join(': ');
  return {
    status: available.status === 'True' ? 'Healthy' : 'Progressing',
    message: message || undefined,
  };
}
