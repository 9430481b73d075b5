// @ts-check
'use strict';

// Proves the test cluster is a real control plane: run with
//   node --test test/cluster/cluster.test.js
// Needs the binaries built first (node test/cluster/cli.js build); missing
// binaries make every test fail with that instruction, nothing is skipped.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startCluster, FAIL_POD_LABEL } = require('./cluster');

/** @type {import('./cluster').Cluster | undefined} */
let cluster;
let stopped = false;
const NS = 'cluster-test';

/**
 * Runs the built kubectl against the test cluster.
 * @param {string[]} args @param {string} [input]
 * @returns {Promise<string>} stdout
 */
function kubectl(args, input) {
  const c = /** @type {import('./cluster').Cluster} */ (cluster);
  return new Promise((resolve, reject) => {
    const child = childProcess.execFile(
      path.join(c.binDir, 'kubectl'),
      args,
      {
        env: { ...process.env, KUBECONFIG: c.kubeconfigPath },
        timeout: 180000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new Error(
              `kubectl ${args.join(' ')} failed: ${stderr || err.message}`,
            ),
          );
        else resolve(stdout);
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/** @param {unknown} obj */
const apply = obj => kubectl(['apply', '-f', '-'], JSON.stringify(obj));

/**
 * Polls fn until it returns true.
 * @param {string} what @param {() => Promise<boolean>} fn @param {number} [timeoutMs]
 */
async function eventually(what, fn, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** @param {string} name @param {number} replicas */
function deployment(name, replicas) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'example.invalid/web:1' }] },
      },
    },
  };
}

/** @param {string} name @param {Record<string, string>} [podLabels] */
function job(name, podLabels = {}) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { job: name, ...podLabels } },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'example.invalid/task:1' }],
        },
      },
    },
  };
}

describe('test cluster', { timeout: 15 * 60 * 1000 }, () => {
  before(async () => {
    const t0 = Date.now();
    cluster = await startCluster();
    // eslint-disable-next-line no-console
    console.log(
      `# cluster started in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
    );
  });

  after(async () => {
    if (cluster && !stopped) await cluster.stop();
  });

  it('serves the pinned Kubernetes version through the kubeconfig', async () => {
    const v = JSON.parse(await kubectl(['version', '-o', 'json']));
    assert.match(v.serverVersion.gitVersion, /^v1\.35\.\d+$/);
    const nodes = await kubectl(['get', 'nodes', '-o', 'name']);
    assert.equal(nodes.trim(), `node/${cluster?.nodeName}`);
  });

  it('ships working helm and kustomize binaries', () => {
    const bin = /** @type {import('./cluster').Cluster} */ (cluster).binDir;
    assert.match(
      childProcess.execFileSync(
        path.join(bin, 'helm'),
        ['version', '--short'],
        { encoding: 'utf8' },
      ),
      /^v3\./,
    );
    assert.match(
      childProcess.execFileSync(path.join(bin, 'kustomize'), ['version'], {
        encoding: 'utf8',
      }),
      /^v5\./,
    );
  });

  it('creates a namespace', async () => {
    await kubectl(['create', 'namespace', NS]);
    assert.equal(
      (
        await kubectl([
          'get',
          'namespace',
          NS,
          '-o',
          'jsonpath={.status.phase}',
        ])
      ).trim(),
      'Active',
    );
  });

  it('rolls out a Deployment with 2 replicas until Available', async () => {
    await apply(deployment('web', 2));
    await kubectl([
      '-n',
      NS,
      'wait',
      '--for=condition=Available',
      'deployment/web',
      '--timeout=120s',
    ]);
    await kubectl([
      '-n',
      NS,
      'rollout',
      'status',
      'deployment/web',
      '--timeout=120s',
    ]);
    const ready = await kubectl([
      '-n',
      NS,
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.status.readyReplicas}',
    ]);
    assert.equal(ready.trim(), '2');
    const phases = await kubectl([
      '-n',
      NS,
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].status.phase}',
    ]);
    assert.deepEqual(phases.trim().split(' '), ['Running', 'Running']);
  });

  it('does server-side apply with --dry-run=server without persisting', async () => {
    const ssa = [
      'apply',
      '--server-side',
      '--field-manager=cluster-test',
      '--dry-run=server',
    ];
    const manifest = JSON.stringify(deployment('web', 5));
    // Real field ownership: replicas belongs to kubectl's client-side apply.
    await assert.rejects(
      kubectl([...ssa, '-f', '-'], manifest),
      /conflict with "kubectl-client-side-apply"/,
    );
    const out = await kubectl(
      [
        ...ssa,
        '--force-conflicts',
        '-o',
        'jsonpath={.spec.replicas}',
        '-f',
        '-',
      ],
      manifest,
    );
    assert.equal(out.trim(), '5');
    const persisted = await kubectl([
      '-n',
      NS,
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.spec.replicas}',
    ]);
    assert.equal(persisted.trim(), '2');
    // And a dry run of an invalid object is rejected by the server.
    const bad = deployment('web', 1);
    bad.spec.selector.matchLabels.app = 'other';
    await assert.rejects(
      kubectl(
        ['apply', '--server-side', '--dry-run=server', '-f', '-'],
        JSON.stringify(bad),
      ),
      /selector|Invalid/,
    );
  });

  it('completes a Job whose pod succeeds', async () => {
    await apply(job('ok'));
    await kubectl([
      '-n',
      NS,
      'wait',
      '--for=condition=Complete',
      'job/ok',
      '--timeout=120s',
    ]);
    const phase = await kubectl([
      '-n',
      NS,
      'get',
      'pods',
      '-l',
      'job=ok',
      '-o',
      'jsonpath={.items[0].status.phase}',
    ]);
    assert.equal(phase.trim(), 'Succeeded');
  });

  it('fails a Job whose pod fails (kwok failure stage)', async () => {
    await apply(job('broken', { [FAIL_POD_LABEL]: 'true' }));
    await kubectl([
      '-n',
      NS,
      'wait',
      '--for=condition=Failed',
      'job/broken',
      '--timeout=120s',
    ]);
    const exit = await kubectl([
      '-n',
      NS,
      'get',
      'pods',
      '-l',
      'job=broken',
      '-o',
      'jsonpath={.items[0].status.phase} {.items[0].status.containerStatuses[0].state.terminated.exitCode}',
    ]);
    assert.equal(exit.trim(), 'Failed 1');
    const reason = await kubectl([
      '-n',
      NS,
      'get',
      'job',
      'broken',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Failed")].reason}',
    ]);
    assert.equal(reason.trim(), 'BackoffLimitExceeded');
  });

  it('garbage-collects ReplicaSets and Pods when their Deployment is deleted', async () => {
    const rs = await kubectl([
      '-n',
      NS,
      'get',
      'rs',
      '-l',
      'app=web',
      '-o',
      'name',
    ]);
    assert.equal(rs.trim().split('\n').length, 1);
    const owner = await kubectl([
      '-n',
      NS,
      'get',
      rs.trim(),
      '-o',
      'jsonpath={.metadata.ownerReferences[0].kind}',
    ]);
    assert.equal(owner, 'Deployment');
    const pods = await kubectl([
      '-n',
      NS,
      'get',
      'pods',
      '-l',
      'app=web',
      '-o',
      'jsonpath={.items[*].metadata.ownerReferences[0].kind}',
    ]);
    assert.equal(pods.trim(), 'ReplicaSet ReplicaSet');
    // Foreground deletion only finishes if the GC removes the foregroundDeletion finalizer.
    await kubectl([
      '-n',
      NS,
      'delete',
      'deployment',
      'web',
      '--cascade=foreground',
      '--timeout=120s',
    ]);
    await eventually(
      'web ReplicaSets and Pods to be deleted',
      async () =>
        (
          await kubectl([
            '-n',
            NS,
            'get',
            'rs,pods',
            '-l',
            'app=web',
            '-o',
            'name',
          ])
        ).trim() === '',
    );
  });

  it('deletes a namespace with its contents (namespace controller)', async () => {
    await kubectl(['delete', 'namespace', NS, '--timeout=120s']);
    await assert.rejects(
      kubectl(['get', 'namespace', NS]),
      /NotFound|not found/,
    );
  });

  it('stops every process and removes its directory', async () => {
    const c = /** @type {import('./cluster').Cluster} */ (cluster);
    assert.equal(c.processes.length, 5);
    await c.stop();
    stopped = true;
    for (const p of c.processes) {
      assert.throws(
        () => process.kill(p.pid, 0),
        { code: 'ESRCH' },
        `${p.name} (pid ${p.pid}) still running`,
      );
    }
    assert.equal(fs.existsSync(c.dir), false);
  });
});
