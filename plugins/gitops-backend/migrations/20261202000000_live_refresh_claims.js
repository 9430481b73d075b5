// @ts-check

/**
 * Which backend replica refreshes an application on live changes. Every
 * replica watches every destination cluster and sees each change; the one
 * holding the claim refreshes, the others leave it, so a change is compared
 * once, not once per replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('live_refresh_claims', table => {
    table.comment(
      'Which backend refreshes an application on live changes, until when',
    );
    table.string('application', 253).primary().comment('Application name');
    table.string('holder', 64).notNullable().comment('Backend instance id');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('Another backend may take the claim after this time');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('live_refresh_claims');
};
