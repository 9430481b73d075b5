import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import { UnknownKindError } from '../cluster/discovery';

// One definition for every workspace's tests that need them.
const CRDS = path.resolve(__dirname, '../../../../test/cluster/argo-crds.yaml');

/**
 * Minimal Argo CD CRDs (any content accepted), so tests can store
 * Application and AppProject objects as a cluster running Argo CD has them.
 */
export async function installArgoCrds(client: ClusterClient): Promise<void> {
  for (const doc of parseAllDocuments(fs.readFileSync(CRDS, 'utf8'))) {
    await client.apply(doc.toJS() as KubeObject);
  }
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
