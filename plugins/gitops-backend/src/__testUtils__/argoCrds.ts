import { ClusterClient } from '../cluster/ClusterClient';
import { UnknownKindError } from '../cluster/discovery';

function crd(kind: string, plural: string) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.argoproj.io` },
    spec: {
      group: 'argoproj.io',
      scope: 'Namespaced',
      names: {
        kind,
        plural,
        singular: kind.toLowerCase(),
        listKind: `${kind}List`,
      },
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        },
      ],
    },
  };
}

/**
 * Minimal Argo CD CRDs (any content accepted), so tests can store
 * Application and AppProject objects as a cluster running Argo CD has them.
 */
export async function installArgoCrds(client: ClusterClient): Promise<void> {
  await client.apply(crd('Application', 'applications'));
  await client.apply(crd('AppProject', 'appprojects'));
  for (let i = 0; i < 100; i++) {
    try {
      await client.list('argoproj.io/v1alpha1', 'Application', {
        namespace: 'default',
      });
      await client.list('argoproj.io/v1alpha1', 'AppProject', {
        namespace: 'default',
      });
      return;
    } catch (error) {
      if (!(error instanceof UnknownKindError)) throw error;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
  throw new Error('the Argo CD CRDs were never served');
}
