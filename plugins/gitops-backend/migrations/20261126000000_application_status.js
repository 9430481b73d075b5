// @ts-check

/**
 * The last observed state of each application. Definitions themselves are not
 * stored: they are read from the catalog, app-config and Git every time, so
 * the status is keyed by application name alone.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('application_status', table => {
    table.comment('Last observed sync and health state of each application');
    table
      .string('name', 253)
      .primary()
      .comment('Application name, unique across every definition source');
    table
      .string('sync_status', 16)
      .notNullable()
      .comment('Synced | OutOfSync | Unknown');
    table
      .string('health_status', 16)
      .notNullable()
      .comment(
        'Healthy | Progressing | Degraded | Suspended | Missing | Unknown',
      );
    table
      .string('revision', 64)
      .nullable()
      .comment('Commit SHA the state was computed from, if any');
    table
      .timestamp('reconciled_at', { useTz: true })
      .notNullable()
      .comment('When the reconciler last compared the application');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('application_status');
};
