import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@backstage-gitops/plugin-gitops-backend',
  'migrations',
);

// A table name of our own: where a deployment shares one database between
// plugins, Knex's default `knex_migrations` would mix our history with theirs.
const config: Knex.MigratorConfig = {
  directory: migrationsDir,
  tableName: 'gitops_knex_migrations',
};

export async function migrateUp(knex: Knex): Promise<void> {
  await knex.migrate.latest(config);
}

/** Undoes every migration; used by tests that prove each `down()` works. */
export async function migrateDownAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback(config, true);
}

/** Undoes the newest migration; used by tests of a migration's data step. */
export async function migrateDownOne(knex: Knex): Promise<void> {
  await knex.migrate.down(config);
}
