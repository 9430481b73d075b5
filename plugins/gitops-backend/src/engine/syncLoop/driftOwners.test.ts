import { deployment } from '../diff/__testing__/objects';
import { driftOwners } from './driftOwners';

describe('driftOwners', () => {
  const live = deployment();
  live.metadata.managedFields = [
    {
      manager: 'backstage-gitops',
      operation: 'Apply',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': {} } },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      subresource: 'scale',
      time: '2026-11-26T10:00:05Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    },
    {
      manager: 'kubectl-label',
      operation: 'Update',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/name': {} } },
      },
    },
  ];

  it('names the other managers owning a changed or extra path, never ours', () => {
    expect(
      driftOwners(
        [
          { path: '/spec/replicas', op: 'replace', desired: 1, live: 2 },
          {
            path: '/metadata/labels/app.kubernetes.io~1name',
            op: 'remove',
            live: 'cart',
          },
          { path: '/spec/paused', op: 'add', desired: true },
          { path: '/spec/minReadySeconds', op: 'replace', desired: 1, live: 0 },
        ],
        live,
        'backstage-gitops',
      ),
    ).toEqual([
      {
        path: '/spec/replicas',
        managers: ['kube-controller-manager'],
        changedAt: '2026-11-26T10:00:05Z',
      },
      {
        path: '/metadata/labels/app.kubernetes.io~1name',
        managers: ['kubectl-label'],
      },
    ]);
  });
});
