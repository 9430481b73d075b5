import { Manifest } from '../manifest';
import { deployment } from './__testing__/objects';
import { keepIgnoredLiveValues } from './respectIgnoreDifferences';

const spec = (obj: Manifest) => obj.spec as Record<string, any>;

describe('keepIgnoredLiveValues', () => {
  it('takes the live value of an ignored path, and leaves the rest as Git has it', () => {
    const desired = deployment();
    spec(desired).replicas = 1;
    spec(desired).revisionHistoryLimit = 3;
    const live = deployment();
    spec(live).replicas = 5;

    const { manifest, notes } = keepIgnoredLiveValues(desired, live, [
      { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
    ]);

    expect(spec(manifest).replicas).toBe(5);
    expect(spec(manifest).revisionHistoryLimit).toBe(3);
    expect(notes).toEqual([]);
    expect(spec(desired).replicas).toBe(1);
  });

  it('removes an ignored path the live object does not have', () => {
    const desired = deployment();
    desired.metadata.annotations = { 'example.com/note': 'from git' };
    const live = deployment();
    delete live.metadata.annotations;

    const { manifest } = keepIgnoredLiveValues(desired, live, [
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: ['/metadata/annotations/example.com~1note'],
      },
    ]);

    expect(manifest.metadata.annotations).toBeUndefined();
  });

  it('sets a live value under maps Git does not have', () => {
    const desired = deployment();
    delete desired.metadata.labels;
    const live = deployment();
    live.metadata.labels = { team: 'payments' };

    const { manifest } = keepIgnoredLiveValues(desired, live, [
      {
        group: 'apps',
        kind: 'Deployment',
        jsonPointers: ['/metadata/labels/team'],
      },
    ]);

    expect(manifest.metadata.labels).toEqual({ team: 'payments' });
  });

  it('keeps the fields another manager owns, found through managedFields', () => {
    const desired = deployment();
    spec(desired).replicas = 1;
    const live = deployment();
    spec(live).replicas = 4;
    live.metadata.managedFields = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        subresource: 'scale',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
    ];

    const { manifest } = keepIgnoredLiveValues(desired, live, [
      {
        group: 'apps',
        kind: 'Deployment',
        managedFieldsManagers: ['kube-controller-manager'],
      },
    ]);

    expect(spec(manifest).replicas).toBe(4);
  });

  it('applies a new object as Git has it, and ignores rules of other kinds', () => {
    const desired = deployment();
    spec(desired).replicas = 1;
    const rule = { kind: 'Service', jsonPointers: ['/spec/replicas'] };
    expect(keepIgnoredLiveValues(desired, undefined, [rule]).manifest).toBe(
      desired,
    );
    const live = deployment();
    spec(live).replicas = 9;
    expect(
      spec(keepIgnoredLiveValues(desired, live, [rule]).manifest).replicas,
    ).toBe(1);
  });

  // Found by ignoreDifferences.fuzz.test.ts's reasoning about own keys: a
  // live key named `__proto__` is copied as a key, never as a prototype.
  it('copies a live key named __proto__ as an ordinary key', () => {
    const desired = deployment();
    const live = deployment();
    spec(live).template = JSON.parse('{"__proto__":{"polluted":"yes"}}');
    const rule = {
      group: 'apps',
      kind: 'Deployment',
      jsonPointers: ['/spec/template/__proto__/polluted'],
    };
    const { manifest } = keepIgnoredLiveValues(desired, live, [rule]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      Object.getOwnPropertyDescriptor(spec(manifest).template, '__proto__')
        ?.value,
    ).toEqual({ polluted: 'yes' });
  });
});
