// @ts-check
'use strict';

// Stops the PostgreSQL server that jest-global-setup.js started, if any.
module.exports = async function teardownTestPostgres() {
  const holder = /** @type {any} */ (globalThis);
  const server = holder.__gitopsTestPostgres;
  if (!server) return;
  holder.__gitopsTestPostgres = undefined;
  for (const key of Object.keys(process.env)) {
    if (/^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(key)) {
      delete process.env[key];
    }
  }
  await server.stop();
};
