import { Manifest } from '../manifest';

// Small builders so tests read like the manifests they stand for.

export function newObject(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): Manifest {
  return {
    apiVersion,
    kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
  };
}

export function newJob(name = 'migrate', namespace = 'shop'): Manifest {
  return {
    ...newObject('batch/v1', 'Job', name, namespace),
    spec: {
      template: {
        spec: {
          containers: [{ name, image: 'registry.example.com/migrate:1' }],
          restartPolicy: 'Never',
        },
      },
    },
  };
}

export function annotate(obj: Manifest, key: string, value: string): Manifest {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [key]: value },
    },
  };
}
