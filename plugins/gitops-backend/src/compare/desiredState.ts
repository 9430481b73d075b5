import { ApplicationCondition } from '@backstage-gitops/plugin-gitops-common';
import {
  Manifest,
  describeObject,
  groupOf,
  resourceKey,
  stamp,
} from '../engine';

export type Scope = 'Namespaced' | 'Cluster';

/** How the cluster scopes a kind; undefined when it does not serve it (yet). */
export type ScopeLookup = (
  apiVersion: string,
  kind: string,
) => Promise<Scope | undefined>;

export type PreparedResource = {
  key: string;
  file: string;
  manifest: Manifest;
};

/**
 * Turns rendered manifests into the objects to compare and apply: namespaced
 * kinds without a namespace go to the destination namespace, cluster-scoped
 * ones lose a namespace they cannot have (as Argo CD does), and every object
 * carries the application's tracking id. A kind the cluster does not serve is
 * looked up among the CRDs of the same render, so a CRD and its resources can
 * come in one sync. Anything that cannot be placed becomes a condition naming
 * the object and its file, and is left out rather than guessed.
 */
export async function prepareDesired(options: {
  appName: string;
  destinationNamespace?: string;
  rendered: { file: string; manifest: Manifest }[];
  scopeOf: ScopeLookup;
}): Promise<{
  resources: PreparedResource[];
  conditions: ApplicationCondition[];
}> {
  const { appName, destinationNamespace, rendered, scopeOf } = options;
  const crdScopes = scopesFromCrds(rendered.map(r => r.manifest));
  const resources: PreparedResource[] = [];
  const conditions: ApplicationCondition[] = [];
  const seen = new Map<string, string>();

  for (const { file, manifest } of rendered) {
    const scope =
      (await scopeOf(manifest.apiVersion, manifest.kind)) ??
      crdScopes.get(`${groupOf(manifest)}/${manifest.kind}`);
    const where = `${describeObject(manifest)} (${file})`;
    if (!scope) {
      conditions.push({
        type: 'ComparisonError',
        message: `${where}: the cluster does not serve ${manifest.kind} in ${manifest.apiVersion}, and no CRD in the application defines it`,
      });
      continue;
    }
    const namespace =
      scope === 'Cluster'
        ? undefined
        : manifest.metadata.namespace ?? destinationNamespace;
    if (scope === 'Namespaced' && !namespace) {
      conditions.push({
        type: 'InvalidSpecError',
        message: `${where}: has no namespace, and the application names no destination namespace`,
      });
      continue;
    }
    const { namespace: _dropped, ...metadata } = manifest.metadata;
    const placed = stamp(
      {
        ...manifest,
        metadata: { ...metadata, ...(namespace ? { namespace } : {}) },
      },
      appName,
    );
    const key = resourceKey(placed);
    const earlier = seen.get(key);
    if (earlier) {
      conditions.push({
        type: 'InvalidSpecError',
        message: `${describeObject(
          placed,
        )} is defined twice: in ${earlier} and in ${file}`,
      });
      continue;
    }
    seen.set(key, file);
    resources.push({ key, file, manifest: placed });
  }
  return { resources, conditions };
}

function scopesFromCrds(manifests: Manifest[]): Map<string, Scope> {
  const scopes = new Map<string, Scope>();
  for (const m of manifests) {
    if (m.kind !== 'CustomResourceDefinition') continue;
    const spec = m.spec as
      | { group?: string; scope?: string; names?: { kind?: string } }
      | undefined;
    if (spec?.group && spec.names?.kind) {
      scopes.set(
        `${spec.group}/${spec.names.kind}`,
        spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
      );
    }
  }
  return scopes;
}
