// @ts-check

/**
 * What the last comparison found, per resource: the rows of the Resources
 * table and, for resources that differ, the masked diff. Replaced as a whole
 * on every refresh, so it is always one comparison's view.
 *
 * Also on the status: the commit behind the revision, in words, and whether
 * automated sync is paused by a rollback. Operations keep the diff that the
 * sync set out to apply.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('application_resources', table => {
    table.comment(
      'Per-resource state of the last comparison of each application',
    );
    table.string('application', 253).notNullable().comment('Application name');
    table
      .integer('position')
      .notNullable()
      .comment('Order within the comparison, from 0');
    table
      .string('api_group', 253)
      .notNullable()
      .comment('API group; empty for the core group');
    table.string('api_version', 64).notNullable().comment('API version');
    table.string('kind', 253).notNullable().comment('Kind');
    table
      .string('namespace', 253)
      .nullable()
      .comment('Namespace; null for cluster-scoped objects');
    table.string('name', 253).notNullable().comment('Object name');
    table.integer('wave').notNullable().comment('Sync wave, 0 by default');
    table
      .boolean('hook')
      .notNullable()
      .comment('A hook: run by syncs, never compared');
    table
      .string('hook_type', 64)
      .nullable()
      .comment('Comma-separated hook types, for hooks');
    table
      .string('sync_status', 16)
      .nullable()
      .comment('Synced | OutOfSync; null for hooks');
    table
      .string('health_status', 16)
      .nullable()
      .comment('Health of the live object; null when it has none');
    table.text('health_message').nullable().comment('Why, in words');
    table
      .boolean('requires_pruning')
      .notNullable()
      .comment('Live but gone from Git: a sync with prune deletes it');
    table
      .text('diff')
      .nullable()
      .comment(
        'Masked JSON {changes, desiredText, liveText, ignored, notes}; null when there is nothing to show',
      );
    table.primary(['application', 'position']);
  });
  await knex.schema.alterTable('application_status', table => {
    table
      .text('revision_message')
      .nullable()
      .comment('Commit message of the revision, shortened');
    table
      .string('revision_author', 512)
      .nullable()
      .comment('Author name of the revision');
    table
      .timestamp('revision_date', { useTz: true })
      .nullable()
      .comment('Author date of the revision');
    table
      .text('auto_sync_paused')
      .nullable()
      .comment(
        'JSON {reason, revision, gitRevision, operationId, by, at} while a rollback pauses automated sync',
      );
  });
  await knex.schema.alterTable('operations', table => {
    table
      .text('diff')
      .nullable()
      .comment(
        'Masked JSON array of the resource diffs the sync set out to apply',
      );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('operations', table => {
    table.dropColumn('diff');
  });
  await knex.schema.alterTable('application_status', table => {
    table.dropColumn('auto_sync_paused');
    table.dropColumn('revision_date');
    table.dropColumn('revision_author');
    table.dropColumn('revision_message');
  });
  await knex.schema.dropTable('application_resources');
};
