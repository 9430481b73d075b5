// @ts-check

/**
 * A selective sync (chosen resources only) is no history entry in Argo CD,
 * so it cannot be rolled back to. History pages are served from summary
 * columns, so the fact gets one; existing rows are filled from their state.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('operations', table => {
    table
      .boolean('selective')
      .notNullable()
      .defaultTo(false)
      .comment('Whether the sync was of chosen resources only');
  });
  const selective = [];
  for (let offset = 0; ; offset += 500) {
    const rows = await knex('operations')
      .orderBy('id')
      .offset(offset)
      .limit(500)
      .select('id', 'state');
    for (const row of rows) {
      const resources = safeParse(row.state)?.options?.resources;
      if (Array.isArray(resources) && resources.length > 0) {
        selective.push(row.id);
      }
    }
    if (rows.length < 500) break;
  }
  for (let i = 0; i < selective.length; i += 500) {
    await knex('operations')
      .whereIn('id', selective.slice(i, i + 500))
      .update({ selective: true });
  }
};

/** @param {string} text */
function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('operations', table => {
    table.dropColumn('selective');
  });
};
