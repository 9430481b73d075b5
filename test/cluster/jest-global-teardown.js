// @ts-check
'use strict';

// Stops the cluster that jest-global-setup.js started, and only that one.
module.exports = async function teardownTestCluster() {
  const holder = /** @type {any} */ (globalThis);
  const cluster = holder.__gitopsTestCluster;
  if (!cluster) return;
  holder.__gitopsTestCluster = undefined;
  delete process.env.GITOPS_TEST_KUBECONFIG;
  delete process.env.GITOPS_TEST_BIN_DIR;
  await cluster.stop();
};
