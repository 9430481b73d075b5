#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Test cluster by hand.
 *
 *   node test/cluster/cli.js build                 build the binaries (build.sh; instant when cached)
 *   node test/cluster/cli.js bin-dir               print the bin dir (kubectl, helm, kustomize, ...)
 *   node test/cluster/cli.js start [--kubeconfig PATH] [--keep-dir]
 *        builds if needed, starts the cluster in the foreground, copies the admin
 *        kubeconfig to PATH (default: <cluster dir>/kubeconfig, printed), and stops
 *        cleanly on SIGINT/SIGTERM (Ctrl-C). --keep-dir keeps logs after stopping.
 *
 * In another shell:  export KUBECONFIG=PATH PATH="$(node test/cluster/cli.js bin-dir):$PATH"
 */

const fs = require('fs');
const path = require('path');
const { startCluster, build, binDir } = require('./cluster');

/** @param {string[]} argv */
async function main(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === 'build') {
    const dir = await build();
    process.stdout.write(`${dir}\n`);
    return;
  }
  if (cmd === 'bin-dir') {
    process.stdout.write(`${binDir()}\n`);
    return;
  }
  if (cmd === 'start') {
    const i = rest.indexOf('--kubeconfig');
    const target = i >= 0 ? rest[i + 1] : undefined;
    if (i >= 0 && !target) throw new Error('--kubeconfig needs a path');
    await build();
    const log = (/** @type {string} */ m) =>
      process.stderr.write(`[cluster] ${m}\n`);
    const cluster = await startCluster({
      log,
      keepDir: rest.includes('--keep-dir'),
    });
    let kubeconfig = cluster.kubeconfigPath;
    if (target) {
      kubeconfig = path.resolve(target);
      fs.mkdirSync(path.dirname(kubeconfig), { recursive: true });
      fs.copyFileSync(cluster.kubeconfigPath, kubeconfig);
      fs.chmodSync(kubeconfig, 0o600);
    }
    process.stdout.write(
      `export KUBECONFIG=${kubeconfig}\nexport PATH=${cluster.binDir}:$PATH\n# logs: ${cluster.dir}/*.log; Ctrl-C stops the cluster\n`,
    );
    /** @type {Promise<void>} */
    const stopped = new Promise(resolve => {
      let stopping = false;
      const onSignal = () => {
        if (stopping) return;
        stopping = true;
        log('stopping');
        cluster
          .stop()
          .then(() => {
            if (target) fs.rmSync(kubeconfig, { force: true });
          })
          .finally(resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await stopped;
    log('stopped');
    return;
  }
  process.stderr.write(
    fs
      .readFileSync(__filename, 'utf8')
      .split('*/')[0]
      .replace(/^[\s\S]*?\/\*\*/, '') + '\n',
  );
  process.exitCode = cmd ? 2 : 0;
}

main(process.argv.slice(2)).catch(err => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
