import { locateOwnedPath, ownedPaths, pathsOwnedBy } from './managedFields';

describe('fieldsV1', () => {
  it('reads f:, k:, v: and i: steps down to the owned leaves', () => {
    const { paths, problems } = ownedPaths({
      'f:spec': {
        'f:replicas': {},
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"cart"}': { 'f:image': {} },
            },
          },
        },
      },
      'f:metadata': { 'f:finalizers': { '.': {}, 'v:"example.com/x"': {} } },
      'f:status': { 'f:conditions': { 'i:0': {} } },
    });
    expect(problems).toEqual([]);
    expect(paths).toEqual([
      [{ field: 'spec' }, { field: 'replicas' }],
      [
        { field: 'spec' },
        { field: 'template' },
        { field: 'spec' },
        { field: 'containers' },
        { key: { name: 'cart' } },
        { field: 'image' },
      ],
      [
        { field: 'metadata' },
        { field: 'finalizers' },
        { value: 'example.com/x' },
      ],
      [{ field: 'status' }, { field: 'conditions' }, { index: 0 }],
    ]);
  });

  it('owns a list item marked "." whole, but only the listed keys of a map', () => {
    const { paths } = ownedPaths({
      'f:metadata': {
        'f:annotations': { '.': {}, 'f:example.com/a': {} },
      },
      'f:spec': {
        'f:ports': {
          'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} },
        },
      },
    });
    expect(paths).toEqual([
      [
        { field: 'metadata' },
        { field: 'annotations' },
        { field: 'example.com/a' },
      ],
      [
        { field: 'spec' },
        { field: 'ports' },
        { key: { port: 80, protocol: 'TCP' } },
      ],
    ]);
  });

  it('reports keys it cannot read instead of guessing', () => {
    expect(
      ownedPaths({ 'f:spec': { 'k:{oops': {}, 'x:y': {}, 'f:a': {} } }),
    ).toEqual({
      paths: [[{ field: 'spec' }, { field: 'a' }]],
      problems: ['bad JSON in "k:{oops"', 'unknown fieldsV1 key "x:y"'],
    });
  });

  it('finds list items by key wherever they sit', () => {
    const doc = {
      spec: {
        containers: [{ name: 'sidecar' }, { name: 'cart', image: 'cart:1' }],
      },
    };
    const steps = [
      { field: 'spec' },
      { field: 'containers' },
      { key: { name: 'cart' } },
      { field: 'image' },
    ];
    expect(locateOwnedPath(doc, steps)).toEqual([
      'spec',
      'containers',
      1,
      'image',
    ]);
    expect(
      locateOwnedPath({ spec: { containers: [] } }, steps),
    ).toBeUndefined();
  });

  it('collects the paths of one manager only', () => {
    const managedFields = [
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
      {
        manager: 'kubectl',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:paused': {} } },
      },
      { manager: 'kube-controller-manager', fieldsType: 'FieldsV2' },
    ];
    expect(pathsOwnedBy(managedFields, 'kube-controller-manager')).toEqual({
      paths: [[{ field: 'spec' }, { field: 'replicas' }]],
      problems: ['fieldsType "FieldsV2" is not FieldsV1'],
    });
  });
});
