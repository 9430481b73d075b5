// @ts-check
'use strict';

// Jest global setup for database tests: a PostgreSQL server per Jest run, its
// connection string exported under the variable TestDatabases reads, so every
// database test runs on PostgreSQL as well as SQLite. A server given from
// outside (any such variable already set) is used as it is.

const { startPostgres } = require('./postgres');

const PATTERN = /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/;

module.exports = async function setupTestPostgres() {
  if (Object.keys(process.env).some(key => PATTERN.test(key))) return;
  const server = await startPostgres();
  process.env[
    `BACKSTAGE_TEST_DATABASE_POSTGRES${server.major}_CONNECTION_STRING`
  ] = server.connectionString;
  /** @type {any} */ (globalThis).__gitopsTestPostgres = server;
};
