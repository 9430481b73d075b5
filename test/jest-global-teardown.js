// @ts-check
'use strict';

const teardownCluster = require('./cluster/jest-global-teardown');
const teardownPostgres = require('./services/jest-global-teardown');

module.exports = async function teardownTestServices() {
  await Promise.all([teardownCluster(), teardownPostgres()]);
};
