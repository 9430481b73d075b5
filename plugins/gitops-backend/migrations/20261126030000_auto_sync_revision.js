// @ts-check

/**
 * Auto-sync tries each revision once (unless selfHeal): remember which one it
 * tried last, so a failed automated sync is not repeated on every refresh.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('application_status', table => {
    table
      .string('auto_sync_revision', 64)
      .nullable()
      .comment('Revision the last automated sync was started for');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('application_status', table => {
    table.dropColumn('auto_sync_revision');
  });
};
