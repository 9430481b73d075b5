import { Manifest } from '../engine';
import { ScopeLookup, prepareDesired } from './desiredState';

const scopes: Record<string, 'Namespaced' | 'Cluster'> = {
  'v1/ConfigMap': 'Namespaced',
  'v1/Namespace': 'Cluster',
  'apps/v1/Deployment': 'Namespaced',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'Cluster',
  'apiextensions.k8s.io/v1/CustomResourceDefinition': 'Cluster',
};
const scopeOf: ScopeLookup = async (apiVersion, kind) =>
  scopes[`${apiVersion}/${kind}`];

function obj(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): Manifest {
  return {
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
  };
}

describe('prepareDesired', () => {
  it('places namespaced objects, strips cluster-scoped namespaces and tracks everything', async () => {
    const { resources, conditions } = await prepareDesired({
      appName: 'shop',
      destinationNamespace: 'shop-prod',
      scopeOf,
      rendered: [
        { file: 'cm.yaml', manifest: obj('v1', 'ConfigMap', 'settings') },
        {
          file: 'cm.yaml',
          manifest: obj('v1', 'ConfigMap', 'other', 'elsewhere'),
        },
        {
          file: 'rbac.yaml',
          manifest: obj(
            'rbac.authorization.k8s.io/v1',
            'ClusterRole',
            'reader',
            'shop-prod',
          ),
        },
      ],
    });
    expect(conditions).toEqual([]);
    expect(resources.map(r => r.key)).toEqual([
      '/ConfigMap/shop-prod/settings',
      '/ConfigMap/elsewhere/other',
      'rbac.authorization.k8s.io/ClusterRole//reader',
    ]);
    expect(resources[0].manifest.metadata.annotations).toEqual({
      'argocd.argoproj.io/tracking-id': 'shop:/ConfigMap:shop-prod/settings',
    });
    expect(resources[2].manifest.metadata.namespace).toBeUndefined();
    expect(resources[2].manifest.metadata.annotations).toEqual({
      'argocd.argoproj.io/tracking-id':
        'shop:rbac.authorization.k8s.io/ClusterRole:/reader',
    });
  });

  it('keeps existing annotations and never changes the rendered input', async () => {
    const manifest: Manifest = {
      ...obj('v1', 'ConfigMap', 'settings'),
      metadata: { name: 'settings', annotations: { team: 'a' } },
    };
    const { resources } = await prepareDesired({
      appName: 'shop',
      destinationNamespace: 'ns',
      scopeOf,
      rendered: [{ file: 'a.yaml', manifest }],
    });
    expect(resources[0].manifest.metadata.annotations).toMatchObject({
      team: 'a',
    });
    expect(manifest.metadata).toEqual({
      name: 'settings',
      annotations: { team: 'a' },
    });
  });

  it('scopes a custom resource by a CRD of the same application', async () => {
    const crd: Manifest = {
      ...obj(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
        'widgets.example.com',
      ),
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget' },
      },
    };
    const { resources, conditions } = await prepareDesired({
      appName: 'shop',
      destinationNamespace: 'ns',
      scopeOf,
      rendered: [
        { file: 'crd.yaml', manifest: crd },
        { file: 'w.yaml', manifest: obj('example.com/v1', 'Widget', 'w1') },
      ],
    });
    expect(conditions).toEqual([]);
    expect(resources.map(r => r.key)).toContain('example.com/Widget/ns/w1');
  });

  it('names what it cannot place, with the file, and keeps the rest', async () => {
    const { resources, conditions } = await prepareDesired({
      appName: 'shop',
      scopeOf,
      rendered: [
        { file: 'a.yaml', manifest: obj('v1', 'ConfigMap', 'no-namespace') },
        { file: 'b.yaml', manifest: obj('example.com/v1', 'Gadget', 'g') },
        { file: 'c.yaml', manifest: obj('v1', 'Namespace', 'shop') },
        { file: 'd.yaml', manifest: obj('v1', 'Namespace', 'shop') },
      ],
    });
    expect(resources.map(r => r.key)).toEqual(['/Namespace//shop']);
    expect(conditions).toEqual([
      {
        type: 'InvalidSpecError',
        message:
          'ConfigMap/no-namespace (a.yaml): has no namespace, and the application names no destination namespace',
      },
      {
        type: 'ComparisonError',
        message:
          'Gadget/g (b.yaml): the cluster does not serve Gadget in example.com/v1, and no CRD in the application defines it',
      },
      {
        type: 'InvalidSpecError',
        message: 'Namespace/shop is defined twice: in c.yaml and in d.yaml',
      },
    ]);
  });
});
