// @ts-check
'use strict';

// Jest global setup: one real cluster per Jest run, shared by every project
// that names this file. Tests isolate themselves with a namespace each (see
// test/src/cluster/testNamespace.ts); the kubeconfig reaches the test workers
// through GITOPS_TEST_KUBECONFIG, which workers inherit from this process.
// A cluster given from outside (the variable already set) is used as it is.

const { startCluster } = require('./cluster');

module.exports = async function setupTestCluster() {
  if (process.env.GITOPS_TEST_KUBECONFIG) return;
  const cluster = await startCluster({
    // Outside CI a developer may not have built yet: build (cached) first.
    build: process.env.CI !== 'true',
    log: message => process.stderr.write(`[test-cluster] ${message}\n`),
  });
  process.env.GITOPS_TEST_KUBECONFIG = cluster.kubeconfigPath;
  process.env.GITOPS_TEST_BIN_DIR = cluster.binDir;
  /** @type {any} */ (globalThis).__gitopsTestCluster = cluster;
};
