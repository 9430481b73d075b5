// @ts-check

/**
 * Sync operations and the per-application lease that keeps two backends from
 * syncing one application at once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('operations', table => {
    table.comment('Sync operations, newest last; summary columns serve lists');
    table.string('id', 36).primary().comment('Random UUID');
    table.string('application', 253).notNullable().comment('Application name');
    table
      .string('phase', 16)
      .notNullable()
      .comment('Running | Terminating | Failed | Error | Succeeded');
    table
      .string('initiated_by', 512)
      .notNullable()
      .comment('User entity ref, or "automated"');
    table.string('revision', 64).nullable().comment('Commit SHA synced');
    table.boolean('dry_run').notNullable().comment('Nothing was changed');
    table.text('message').nullable().comment('Outcome in words');
    table
      .timestamp('started_at', { useTz: true })
      .notNullable()
      .comment('When the operation started');
    table
      .timestamp('finished_at', { useTz: true })
      .nullable()
      .comment('When it ended; null while running');
    table
      .boolean('terminate_requested')
      .notNullable()
      .defaultTo(false)
      .comment('A user asked to stop it; read by whichever backend runs it');
    table
      .text('state')
      .notNullable()
      .comment(
        'The operation state as JSON, without manifests (no Secret data)',
      );
    table.index(['application', 'started_at'], 'operations_application_idx');
  });
  await knex.schema.createTable('application_leases', table => {
    table.comment('Which backend may sync an application, until when');
    table.string('application', 253).primary().comment('Application name');
    table.string('holder', 64).notNullable().comment('Backend instance id');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('The lease is free after this time');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('application_leases');
  await knex.schema.dropTable('operations');
};
