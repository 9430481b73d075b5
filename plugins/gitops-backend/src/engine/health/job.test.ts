import { loadFixture } from './__fixtures__/loadFixture';
import { cronJobHealth } from './cronJob';
import { jobHealth } from './job';

describe('jobHealth', () => {
  it.each([
    [
      'job-healthy',
      {
        status: 'Healthy',
        message: 'Reached expected number of succeeded pods',
      },
    ],
    [
      'job-degraded',
      {
        status: 'Degraded',
        message: 'Job has reached the specified backoff limit',
      },
    ],
    [
      'job-degraded-failure-target',
      {
        status: 'Degraded',
        message: 'Job was active longer than specified deadline',
      },
    ],
    ['job-suspended', { status: 'Suspended', message: 'Job is suspended' }],
    [
      'job-progressing',
      { status: 'Progressing', message: 'Job has 1 running pod(s)' },
    ],
  ])('%s', (fixture, expected) => {
    expect(jobHealth(loadFixture(fixture))).toEqual(expected);
  });
});

describe('cronJobHealth', () => {
  it.each([
    ['cronjob-healthy', 'Healthy', 'CronJob last run succeeded'],
    ['cronjob-healthy-never-run', 'Healthy', 'CronJob has never run'],
    ['cronjob-progressing', 'Progressing', 'CronJob has active jobs'],
    ['cronjob-degraded', 'Degraded', 'CronJob last run did not succeed'],
    ['cronjob-suspended', 'Suspended', 'CronJob is suspended'],
  ])('%s is %s', (fixture, status, message) => {
    expect(cronJobHealth(loadFixture(fixture))).toEqual({ status, message });
  });

  it('is Degraded when it was scheduled but never succeeded', () => {
    const obj = loadFixture('cronjob-healthy');
    obj.status = { lastScheduleTime: '2025-05-03T00:00:00Z' };
    expect(cronJobHealth(obj).status).toBe('Degraded');
  });
});
