// @ts-check

/**
 * Sync-loop detection keeps, per application, the fields selfHeal keeps
 * repairing and who sets them back, across refreshes and backends.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('sync_loops', table => {
    table.comment('Fields selfHeal repaired and another manager set back');
    table.string('application', 253).primary().comment('Application name');
    table
      .text('state')
      .notNullable()
      .comment('JSON of the engine SyncLoopState (fights, counts, times)');
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('When a refresh last wrote it');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sync_loops');
};
