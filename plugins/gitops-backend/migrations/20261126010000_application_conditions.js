// @ts-check

/**
 * Conditions explain a status in words: a render error, an unreachable
 * cluster, a refused resource. Without them the UI could only say "Unknown".
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('application_status', table => {
    table
      .text('conditions')
      .nullable()
      .comment('JSON array of {type, message}, most important first');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('application_status', table => {
    table.dropColumn('conditions');
  });
};
