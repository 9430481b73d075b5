import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApplicationDefinition,
  ResourceDiff,
  RevisionInfo,
} from '@backstage-gitops/plugin-gitops-common';
import {
  Manifest,
  hookTypes,
  parseApiVersion,
  resourceHealth,
  resourceKey,
  syncWave,
} from '../engine';
import { ResourceComparison } from '../engine/diff';
import { StoredResource, toDiff } from '../database/ResourceStore';
import { RepositoryService } from '../repository';
import { ApplicationComparison, ResourceState } from './compareApplication';

/**
 * The rows of the Resources table from one comparison: compared resources
 * (with their masked diffs where there is something to show), then hooks,
 * which are run by syncs and never compared.
 */
export function storedResources(
  comparison: Pick<ApplicationComparison, 'resources' | 'hooks' | 'liveHooks'>,
): StoredResource[] {
  // A hook run still in the cluster is shown, with its health, in place of
  // the manifest it was made from.
  const live = comparison.liveHooks.map(m => storedHook(m, true));
  const seen = new Set(live.map(hook => hook.key));
  return [
    ...comparison.resources.map(storedResource),
    ...comparison.hooks
      .map(m => storedHook(m, false))
      .filter(hook => !seen.has(hook.key)),
    ...live,
  ];
}

/** The diffs a sync of this comparison sets out to apply, for its history. */
export function changedResources(
  comparison: Pick<ApplicationComparison, 'resources'>,
): ResourceDiff[] {
  return comparison.resources
    .filter(r => r.comparison.diff.changes.length > 0)
    .map(r => {
      const stored = storedResource(r);
      return toDiff(stored, stored.diff!);
    });
}

function storedResource(r: ResourceState): StoredResource {
  const gv = parseApiVersion(r.apiVersion) ?? { group: '', version: '' };
  return {
    key: r.key,
    group: gv.group,
    version: gv.version,
    kind: r.kind,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    name: r.name,
    wave: r.wave,
    isHook: false,
    sync: r.comparison.status,
    ...(r.health ? { health: r.health.status } : {}),
    ...(r.health?.message ? { healthMessage: r.health.message } : {}),
    requiresPruning: r.extraneous && r.comparison.diff.changes.length > 0,
    ...(worthShowing(r.comparison) ? { diff: diffOf(r.comparison) } : {}),
  };
}

function storedHook(m: Manifest, live: boolean): StoredResource {
  const gv = parseApiVersion(m.apiVersion) ?? { group: '', version: '' };
  const wave = syncWave(m);
  const types = hookTypes(m);
  // A generateName hook has its name only once a sync creates it.
  const name = m.metadata.name || `${m.metadata.generateName ?? ''}*`;
  return {
    key: m.metadata.name ? resourceKey(m) : `${gv.group}/${m.kind}//${name}`,
    group: gv.group,
    version: gv.version,
    kind: m.kind,
    ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}),
    name,
    wave: typeof wave === 'number' ? wave : 0,
    isHook: true,
    ...(Array.isArray(types) ? { hookType: types.join(',') } : {}),
    // Only a live run has health; a manifest has not run yet.
    ...(live ? healthOf(m) : {}),
    requiresPruning: false,
  };
}

function healthOf(
  m: Manifest,
): Pick<StoredResource, 'health' | 'healthMessage'> {
  const health = resourceHealth(m);
  return {
    ...(health ? { health: health.status } : {}),
    ...(health?.message ? { healthMessage: health.message } : {}),
  };
}

// A Synced resource with nothing ignored and no note has no diff to show.
function worthShowing(c: ResourceComparison): boolean {
  return (
    c.diff.changes.length > 0 || c.ignored.length > 0 || c.notes.length > 0
  );
}

function diffOf(c: ResourceComparison): NonNullable<StoredResource['diff']> {
  return {
    changes: c.diff.changes,
    desiredText: c.diff.desiredText,
    liveText: c.diff.liveText,
    ignored: c.ignored,
    notes: c.notes.map(n => `${n.source} "${n.expression}": ${n.message}`),
  };
}

/**
 * The commit behind a revision, in words. Optional: a mirror that cannot say
 * leaves the status without it rather than failing the refresh.
 */
export async function describeRevision(options: {
  app: ApplicationDefinition;
  revision: string | undefined;
  repository: Pick<RepositoryService, 'describeRevision'>;
  logger?: LoggerService;
}): Promise<RevisionInfo | undefined> {
  const { app, revision, repository } = options;
  if (!revision) return undefined;
  try {
    const commit = await repository.describeRevision(
      app.source.repoURL,
      revision,
    );
    return {
      message: commit.message,
      author: commit.author,
      // As the database gives it back, so both read alike.
      ...(commit.date ? { date: new Date(commit.date).toISOString() } : {}),
    };
  } catch (error) {
    options.logger?.warn(
      `gitops: cannot describe revision ${revision} of ${app.name}: ${
        (error as Error).message
      }`,
    );
    return undefined;
  }
}
