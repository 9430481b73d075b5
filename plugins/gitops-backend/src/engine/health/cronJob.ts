import { Manifest } from '../manifest';
import { arrayAt, booleanAt, stringAt } from './fields';
import { ResourceHealth } from './types';

function timeOf(obj: Manifest, field: string): number | undefined {
  const text = stringAt(obj, 'status', field);
  const time = text === undefined ? NaN : Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Argo CD ships this rule as a Lua script that has changed several times; we
 * keep the simplest defensible reading of the status:
 * suspended → Suspended; a job running → Progressing; never scheduled →
 * Healthy; the last success at or after the last schedule → Healthy;
 * otherwise the last run did not succeed → Degraded. A CronJob that silently
 * stops being scheduled looks Healthy: the status cannot tell us otherwise.
 */
export function cronJobHealth(obj: Manifest): ResourceHealth {
  if (booleanAt(obj, 'spec', 'suspend')) {
    return { status: 'Suspended', message: 'CronJob is suspended' };
  }
  if (arrayAt(obj, 'status', 'active').length > 0) {
    return { status: 'Progressing', message: 'CronJob has active jobs' };
  }
  const lastSchedule = timeOf(obj, 'lastScheduleTime');
  if (lastSchedule === undefined) {
    return { status: 'Healthy', message: 'CronJob has never run' };
  }
  const lastSuccess = timeOf(obj, 'lastSuccessfulTime');
  if (lastSuccess !== undefined && lastSuccess >= lastSchedule) {
    return { status: 'Healthy', message: 'CronJob last run succeeded' };
  }
  return {
    status: 'Degraded',
    message: 'CronJob last run did not succeed',
  };
}
