// @ts-check
'use strict';

// Jest global setup for packages whose tests need the real services: a
// control plane (test/cluster) and PostgreSQL (test/services). Each one is
// skipped when a previous project of the same run, or the caller, set it up.
const setupCluster = require('./cluster/jest-global-setup');
const setupPostgres = require('./services/jest-global-setup');

module.exports = async function setupTestServices() {
  await Promise.all([setupCluster(), setupPostgres()]);
};
