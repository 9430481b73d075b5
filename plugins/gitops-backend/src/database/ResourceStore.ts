import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  ApplicationResource,
  HealthStatusCode,
  ResourceDiff,
} from '@backstage-gitops/plugin-gitops-common';
import { Knex } from 'knex';
import { migrateUp } from './migrations';
import { ApplicationResourceRow } from './tables';

/** A resource as the last comparison saw it, with its diff when it has one. */
export type StoredResource = ApplicationResource & {
  diff?: Pick<
    ResourceDiff,
    'changes' | 'desiredText' | 'liveText' | 'ignored' | 'notes'
  >;
};

const HEALTH: readonly HealthStatusCode[] = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];

// Rows per insert: SQLite allows 999 bound parameters per statement.
const CHUNK = 60;

/** The per-resource state of each application's last comparison. */
export class ResourceStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<ResourceStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip) await migrateUp(knex);
    return new ResourceStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  /**
   * Replaces an application's resources in one transaction, so a reader
   * never sees half of one comparison and half of another. Only rows that
   * differ from the stored ones are written: a steady refresh writes none.
   */
  async replaceResources(
    application: string,
    resources: StoredResource[],
  ): Promise<void> {
    const rows = resources.map((r, position) =>
      toRow(application, position, r),
    );
    await this.knex.transaction(async tx => {
      const table = () => tx<ApplicationResourceRow>('application_resources');
      const stored = new Map(
        (await table().where({ application })).map(row => [
          row.position,
          sameness(row),
        ]),
      );
      const added: ApplicationResourceRow[] = [];
      for (const row of rows) {
        const before = stored.get(row.position);
        if (before === undefined) added.push(row);
        else if (before !== sameness(row)) {
          await table()
            .where({ application, position: row.position })
            .update(row);
        }
      }
      if (stored.size > rows.length) {
        await table()
          .where({ application })
          .where('position', '>=', rows.length)
          .delete();
      }
      for (let i = 0; i < added.length; i += CHUNK) {
        await table().insert(added.slice(i, i + CHUNK));
      }
    });
  }

  /** Resources in comparison order, without their diffs. */
  async listResources(application: string): Promise<ApplicationResource[]> {
    const rows = await this.knex<ApplicationResourceRow>(
      'application_resources',
    )
      .where({ application })
      .orderBy('position')
      .select(
        'application',
        'position',
        'api_group',
        'api_version',
        'kind',
        'namespace',
        'name',
        'wave',
        'hook',
        'hook_type',
        'sync_status',
        'health_status',
        'health_message',
        'requires_pruning',
      );
    return rows.map(row => toResource(row as ApplicationResourceRow));
  }

  /**
   * Which other applications' last comparisons list one of these resource
   * keys (as a resource or a named hook): objects two applications render.
   */
  async listClaims(
    keys: readonly string[],
    except: string,
  ): Promise<{ application: string; key: string }[]> {
    if (keys.length === 0) return [];
    const wanted = new Set(keys);
    const names = [
      ...new Set(keys.map(key => key.split('/').slice(3).join('/'))),
    ];
    const found: { application: string; key: string }[] = [];
    // Narrowed by name in SQL (keys are not stored), exactly in code.
    for (let i = 0; i < names.length; i += CHUNK * 10) {
      const rows = await this.knex<ApplicationResourceRow>(
        'application_resources',
      )
        .whereIn('name', names.slice(i, i + CHUNK * 10))
        .whereNot({ application: except })
        .select('application', 'api_group', 'kind', 'namespace', 'name');
      for (const row of rows) {
        const key = `${row.api_group}/${row.kind}/${row.namespace ?? ''}/${
          row.name
        }`;
        if (wanted.has(key)) found.push({ application: row.application, key });
      }
    }
    return found;
  }

  /** Every resource that has a diff or an ignored path to show. */
  async listDiffs(application: string): Promise<ResourceDiff[]> {
    const rows = await this.knex<ApplicationResourceRow>(
      'application_resources',
    )
      .where({ application })
      .whereNotNull('diff')
      .orderBy('position')
      .select();
    return rows.map(row => toDiff(toResource(row), JSON.parse(row.diff!)));
  }
}

/** The diff of a resource in the API's shape. */
export function toDiff(
  resource: ApplicationResource,
  diff: NonNullable<StoredResource['diff']>,
): ResourceDiff {
  return {
    key: resource.key,
    group: resource.group,
    kind: resource.kind,
    ...(resource.namespace ? { namespace: resource.namespace } : {}),
    name: resource.name,
    sync: diff.changes.length > 0 ? 'OutOfSync' : 'Synced',
    requiresPruning: resource.requiresPruning,
    ...diff,
  };
}

// A row as both databases give it back (SQLite answers booleans as 0/1).
function sameness(row: ApplicationResourceRow): string {
  return JSON.stringify([
    row.api_group,
    row.api_version,
    row.kind,
    row.namespace ?? null,
    row.name,
    Number(row.wave),
    Boolean(row.hook),
    row.hook_type ?? null,
    row.sync_status ?? null,
    row.health_status ?? null,
    row.health_message ?? null,
    Boolean(row.requires_pruning),
    row.diff ?? null,
  ]);
}

function toRow(
  application: string,
  position: number,
  r: StoredResource,
): ApplicationResourceRow {
  return {
    application,
    position,
    api_group: r.group,
    api_version: r.version,
    kind: r.kind,
    namespace: r.namespace ?? null,
    name: r.name,
    wave: r.wave,
    hook: r.isHook,
    hook_type: r.hookType ?? null,
    sync_status: r.sync ?? null,
    health_status: r.health ?? null,
    health_message: r.healthMessage ?? null,
    requires_pruning: r.requiresPruning,
    diff: r.diff ? JSON.stringify(r.diff) : null,
  };
}

function toResource(row: ApplicationResourceRow): ApplicationResource {
  const health = HEALTH.find(h => h === row.health_status);
  const sync =
    row.sync_status === 'Synced' || row.sync_status === 'OutOfSync'
      ? row.sync_status
      : undefined;
  return {
    key: `${row.api_group}/${row.kind}/${row.namespace ?? ''}/${row.name}`,
    group: row.api_group,
    version: row.api_version,
    kind: row.kind,
    ...(row.namespace ? { namespace: row.namespace } : {}),
    name: row.name,
    wave: row.wave,
    isHook: Boolean(row.hook),
    ...(row.hook_type ? { hookType: row.hook_type } : {}),
    ...(sync ? { sync } : {}),
    ...(health ? { health } : {}),
    ...(row.health_message ? { healthMessage: row.health_message } : {}),
    requiresPruning: Boolean(row.requires_pruning),
  };
}
