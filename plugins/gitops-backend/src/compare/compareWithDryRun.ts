import {
  ApplicationCondition,
  ApplicationDefinition,
} from '@backstage-gitops/plugin-gitops-common';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import { Manifest } from '../engine';
import { ResourceComparison, compareResource } from '../engine/diff';
import { dryRunDesired } from '../sync/mergePatchFallback';
import { secretValuesOf } from '../sync/syncSecrets';
import { withNotesAsWarnings } from './compareNotes';
import { ComparisonMemo } from './comparisonMemo';
import { evaluateJqPaths } from './jq/jqPaths';

/** Where a comparison may be reused from, and what else it depends on. */
export type Reuse = {
  memo: ComparisonMemo;
  /** The application's side (comparisonSettings). */
  settings: string;
  /** The cluster's side; undefined when a change would go unnoticed. */
  schemaEpoch(apiVersion: string, kind: string): string | undefined;
};

/**
 * Compares one desired manifest with its live object, as the server would
 * store the manifest (a server-side dry run). With `reuse`, the result for
 * the same manifest, live resourceVersion and settings is taken from the
 * memo instead, with the conditions it raised; a result whose dry run the
 * server refused is never kept, since the refusal may pass.
 */
export async function compareWithDryRun(options: {
  cluster: ClusterClient;
  app: ApplicationDefinition;
  key: string;
  manifest: Manifest;
  live: KubeObject | undefined;
  hpas: Manifest[];
  conditions: ApplicationCondition[];
  reuse?: Reuse;
}): Promise<ResourceComparison> {
  const { cluster, app, manifest, live, conditions } = options;
  // Missing is out of sync whatever the server would default; and a dry run
  // could fail for reasons a real sync fixes first (its namespace missing).
  if (!live)
    return compareResource({ desired: manifest, live: undefined, manifest });
  const { reuse } = options;
  const resourceVersion = live.metadata.resourceVersion;
  // Read before the dry run: a schema change meanwhile then invalidates it.
  const epoch = reuse?.schemaEpoch(manifest.apiVersion, manifest.kind);
  const recalled =
    reuse && epoch !== undefined && typeof resourceVersion === 'string'
      ? reuse.memo.recall(app.name, options.key, {
          desired: manifest,
          resourceVersion,
          settings: `${reuse.settings}\0${epoch}`,
        })
      : undefined;
  if (recalled?.value) {
    for (const c of recalled.value.conditions) conditions.push(c);
    return recalled.value.comparison;
  }
  const raised: ApplicationCondition[] = [];
  const { stored, warning } = await dryRunDesired(
    cluster,
    manifest,
    secretValuesOf([manifest, live as Manifest]),
  );
  if (warning) raised.push({ type: 'Warning', message: warning });
  const desired = stored ?? manifest;
  const comparison = withNotesAsWarnings(
    compareResource({
      desired,
      live: live as Manifest,
      manifest,
      hpas: options.hpas,
      rules: app.ignoreDifferences,
      jq: await evaluateJqPaths(
        app.ignoreDifferences ?? [],
        desired,
        live as Manifest,
      ),
    }),
    manifest,
    raised,
  );
  if (recalled && !warning)
    recalled.remember({ comparison, conditions: raised });
  for (const c of raised) conditions.push(c);
  return comparison;
}
