import { Manifest } from '../manifest';
import { findCondition } from './fields';
import { ResourceHealth } from './types';

/**
 * A CRD is ready once the API server serves its kind (Established). Waves
 * wait on health, so resources of the CRD in a later wave are never applied
 * before the server knows their kind (gitops-engine waits the same way).
 */
export function customResourceDefinitionHealth(obj: Manifest): ResourceHealth {
  const namesAccepted = findCondition(obj, 'NamesAccepted');
  if (namesAccepted?.status === 'False') {
    return {
      status: 'Degraded',
      message: namesAccepted.message ?? 'names not accepted',
    };
  }
  if (findCondition(obj, 'Established')?.status === 'True') {
    return { status: 'Healthy' };
  }
  return {
    status: 'Progressing',
    message: 'Waiting for the kind to be served',
  };
}
