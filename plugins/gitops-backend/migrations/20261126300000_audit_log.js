// @ts-check

/**
 * The audit trail: who asked for what on which application, and whether it
 * was accepted. Kept apart from operations: refreshes and refused requests
 * have no operation, and history retention must not erase the audit trail.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('audit_log', table => {
    table.comment('Actions taken on applications, with the Backstage user');
    table.string('id', 36).primary().comment('Random UUID');
    table.string('application', 253).notNullable().comment('Application name');
    table
      .string('action', 32)
      .notNullable()
      .comment('sync | refresh | hard-refresh | terminate | rollback');
    table
      .string('actor', 512)
      .notNullable()
      .comment('User entity ref, or service:<subject> for service callers');
    table
      .string('outcome', 16)
      .notNullable()
      .comment('accepted | refused | failed');
    table
      .text('message')
      .nullable()
      .comment('Why it was refused or failed, in words; never secret values');
    table
      .text('details')
      .nullable()
      .comment('JSON of the request (options, operation id), no manifests');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .comment('When the action was asked for');
    table.index(['application', 'at'], 'audit_log_application_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('audit_log');
};
