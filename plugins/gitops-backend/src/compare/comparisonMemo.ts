import {
  ApplicationCondition,
  ApplicationDefinition,
} from '@backstage-gitops/plugin-gitops-common';
import { createHash } from 'crypto';
import { LRUCache } from 'lru-cache';
import { Manifest } from '../engine';
import { ResourceComparison } from '../engine/diff';

/** Resources remembered at most, over all applications: 1,000 × 50. */
const DEFAULT_MAX_ENTRIES = 50_000;

/** One resource's comparison and the conditions it raised. */
export type MemoizedComparison = {
  comparison: ResourceComparison;
  conditions: ApplicationCondition[];
};

/**
 * What a comparison of one resource depends on. While all three stay the
 * same, so does its result: the dry run sees the same manifest applied to
 * the same live object under the same schema, and the diff the same pair.
 */
export type ComparisonInputs = {
  /** The prepared desired manifest. */
  desired: unknown;
  /** The live object's `metadata.resourceVersion`. */
  resourceVersion: string;
  /**
   * Everything else the result depends on, as one string: the application's
   * settings (comparisonSettings) and the kind's schema epoch.
   */
  settings: string;
};

/** A fingerprint of a JSON value; key order counts (a miss, never a wrong hit). */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64');
}

/**
 * What a resource's comparison depends on besides its manifest, its live
 * object and its kind's schema epoch (LiveState.schemaEpoch): the
 * application's destination cluster, ignoreDifferences (jq included) and
 * sync options, and its HPAs (which own their targets' replicas). Compare
 * options are annotations of the manifest, and so part of it.
 */
export function comparisonSettings(
  app: Pick<
    ApplicationDefinition,
    'ignoreDifferences' | 'syncPolicy' | 'destination'
  >,
  hpas: readonly Manifest[],
): string {
  return fingerprint([
    // resourceVersions and epochs are counted per cluster.
    app.destination.cluster,
    app.ignoreDifferences ?? [],
    app.syncPolicy?.syncOptions ?? [],
    hpas,
  ]);
}

/**
 * Remembers each resource's comparison so a refresh with nothing changed
 * makes no dry-run request (Argo CD's Server-Side Diff caches the dry-run
 * response likewise, argo-cd issue 11574). Least recently used
 * entries go first beyond `maxEntries`; an application's entries for
 * resources it no longer has go at its next comparison (`keepOnly`), and
 * those of deleted applications at the next pass (`keepApplications`).
 */
export function createComparisonMemo(options: { maxEntries?: number } = {}) {
  const byApp = new Map<string, Set<string>>();
  const entries = new LRUCache<
    string,
    { app: string; resource: string; inputs: string; value: MemoizedComparison }
  >({
    max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
    dispose: ({ app, resource }) => {
      const keys = byApp.get(app);
      keys?.delete(resource);
      if (keys?.size === 0) byApp.delete(app);
    },
  });
  const id = (app: string, resource: string) => `${app}\0${resource}`;
  const inputsOf = (inputs: ComparisonInputs) =>
    `${fingerprint(inputs.desired)}\0${inputs.resourceVersion}\0${
      inputs.settings
    }`;

  return {
    /**
     * A remembered result for exactly these inputs. The inputs are
     * fingerprinted once per call: pass the same object to `remember`.
     */
    recall(
      app: string,
      resource: string,
      inputs: ComparisonInputs,
    ): {
      value?: MemoizedComparison;
      remember(value: MemoizedComparison): void;
    } {
      const wanted = inputsOf(inputs);
      const entry = entries.get(id(app, resource));
      return {
        value: entry?.inputs === wanted ? entry.value : undefined,
        remember(value) {
          entries.set(id(app, resource), {
            app,
            resource,
            inputs: wanted,
            value,
          });
          let keys = byApp.get(app);
          if (!keys) byApp.set(app, (keys = new Set()));
          keys.add(resource);
        },
      };
    },

    /** Forgets the application's resources other than these. */
    keepOnly(app: string, resources: Iterable<string>): void {
      const kept = new Set(resources);
      for (const resource of [...(byApp.get(app) ?? [])]) {
        if (!kept.has(resource)) entries.delete(id(app, resource));
      }
    },

    /** Forgets the application (a hard refresh). */
    forget(app: string): void {
      this.keepOnly(app, []);
    },

    /** Forgets every application but these (the others were deleted). */
    keepApplications(apps: Iterable<string>): void {
      const kept = new Set(apps);
      for (const app of [...byApp.keys()]) {
        if (!kept.has(app)) this.forget(app);
      }
    },

    size: () => entries.size,
  };
}

export type ComparisonMemo = ReturnType<typeof createComparisonMemo>;
