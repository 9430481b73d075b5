import { apiServiceHealth } from './apiService';
import { loadFixture } from './__fixtures__/loadFixture';
import { ingressHealth } from './ingress';
import { namespaceHealth } from './namespace';
import { persistentVolumeClaimHealth } from './persistentVolumeClaim';
import { serviceHealth } from './service';

describe('serviceHealth', () => {
  it.each([
    ['service-healthy', 'Healthy'],
    ['service-healthy-loadbalancer', 'Healthy'],
    ['service-progressing', 'Progressing'],
  ])('%s is %s', (fixture, status) => {
    expect(serviceHealth(loadFixture(fixture)).status).toBe(status);
  });
});

describe('ingressHealth', () => {
  it.each([
    ['ingress-healthy', 'Healthy'],
    ['ingress-progressing', 'Progressing'],
  ])('%s is %s', (fixture, status) => {
    expect(ingressHealth(loadFixture(fixture)).status).toBe(status);
  });
});

describe('persistentVolumeClaimHealth', () => {
  it.each([
    ['pvc-healthy', 'Healthy'],
    ['pvc-progressing', 'Progressing'],
    ['pvc-degraded', 'Degraded'],
  ])('%s is %s', (fixture, status) => {
    expect(persistentVolumeClaimHealth(loadFixture(fixture)).status).toBe(
      status,
    );
  });

  it('is Unknown for a phase it does not know', () => {
    const obj = loadFixture('pvc-healthy');
    obj.status = { phase: 'Resizing' };
    expect(persistentVolumeClaimHealth(obj)).toEqual({
      status: 'Unknown',
      message: 'Unknown phase "Resizing"',
    });
  });
});

describe('namespaceHealth', () => {
  it.each([
    ['namespace-healthy', 'Healthy'],
    ['namespace-progressing', 'Progressing'],
  ])('%s is %s', (fixture, status) => {
    expect(namespaceHealth(loadFixture(fixture)).status).toBe(status);
  });
});

describe('apiServiceHealth', () => {
  it.each([
    [
      'apiservice-healthy',
      { status: 'Healthy', message: 'Passed: all checks passed' },
    ],
    [
      'apiservice-progressing',
      {
        status: 'Progressing',
        message:
          'MissingEndpoints: endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"',
      },
    ],
  ])('%s', (fixture, expected) => {
    expect(apiServiceHealth(loadFixture(fixture))).toEqual(expected);
  });

  it('waits for the aggregator to report availability', () => {
    const obj = loadFixture('apiservice-healthy');
    obj.status = {};
    expect(apiServiceHealth(obj)).toEqual({
      status: 'Progressing',
      message: 'Waiting to be processed',
    });
  });
});
