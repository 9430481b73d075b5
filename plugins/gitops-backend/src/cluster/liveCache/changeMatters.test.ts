import { deployment } from '../../engine/diff/__testing__/objects';
import { KubeObject } from '../ClusterClient';
import { changeMatters } from './changeMatters';

const rolledOut = {
  observedGeneration: 3,
  replicas: 2,
  updatedReplicas: 2,
  readyReplicas: 2,
  availableReplicas: 2,
};

function live(
  status: object,
  edit: (obj: KubeObject & Record<string, any>) => void = () => {},
): KubeObject {
  const obj = { ...deployment(), status } as KubeObject & Record<string, any>;
  edit(obj);
  return obj;
}

describe('changeMatters', () => {
  it('ignores status churn and bookkeeping that leave health as it was', () => {
    const before = live(rolledOut);
    const after = live({ ...rolledOut, conditions: [] }, obj => {
      obj.metadata.resourceVersion = '99999';
      obj.metadata.managedFields = [];
    });
    expect(changeMatters({ before, after })).toBe(false);
  });

  it('counts a status change that moves health', () => {
    const before = live({
      ...rolledOut,
      availableReplicas: 1,
      readyReplicas: 1,
    });
    const after = live(rolledOut);
    expect(changeMatters({ before, after })).toBe(true);
  });

  it('counts any edit outside the status', () => {
    const before = live(rolledOut);
    expect(
      changeMatters({
        before,
        after: live(rolledOut, obj => (obj.spec.replicas = 5)),
      }),
    ).toBe(true);
    expect(
      changeMatters({
        before,
        after: live(rolledOut, obj => (obj.metadata.labels = { team: 'x' })),
      }),
    ).toBe(true);
  });

  it('counts objects that appear or go', () => {
    expect(changeMatters({ after: live(rolledOut) })).toBe(true);
    expect(changeMatters({ before: live(rolledOut) })).toBe(true);
  });
});
