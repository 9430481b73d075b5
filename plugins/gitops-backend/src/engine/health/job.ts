import { Manifest } from '../manifest';
import { booleanAt, findCondition, numberAt } from './fields';
import { ResourceHealth } from './types';

export function jobHealth(obj: Manifest): ResourceHealth {
  // FailureTarget (Kubernetes 1.31+) is set as soon as the Job is doomed,
  // before its pods have stopped and Failed appears; waiting for Failed would
  // keep a failed hook "running" for the whole termination grace period.
  for (const type of ['Failed', 'FailureTarget']) {
    const failed = findCondition(obj, type);
    if (failed?.status === 'True') {
      return {
        status: 'Degraded',
        message: failed.message ?? failed.reason ?? 'Job failed',
      };
    }
  }
  const complete = findCondition(obj, 'Complete');
  if (complete?.status === 'True') {
    return { status: 'Healthy', message: complete.message };
  }
  if (
    booleanAt(obj, 'spec', 'suspend') ||
    findCondition(obj, 'Suspended')?.status === 'True'
  ) {
    return { status: 'Suspended', message: 'Job is suspended' };
  }
  const active = numberAt(obj, 'status', 'active') ?? 0;
  return {
    status: 'Progressing',
    message:
      active > 0 ? `Job has ${active} running pod(s)` : 'Job has not finished',
  };
}
