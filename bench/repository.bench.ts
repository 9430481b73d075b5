/* eslint-disable no-console */
// Repository service figures (issues "Repository service", "Fleet scale"):
// render time of a 200-resource directory app, cold and cached; the first
// render and no-op refreshes of 100 applications sharing one repository and
// path, with the Git requests (fetches) each made; peak memory. Prints
// figures only.
//
//   yarn bench:repository
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGitMirrors,
  createRepositoryService,
} from '../plugins/gitops-backend/src/repository';
import { startGitServer } from '../plugins/gitops-backend/src/repository/__testUtils__/gitServer';
import { createTestRepo } from '../plugins/gitops-backend/src/repository/__testUtils__/testRepo';

const RESOURCES = 200;
const APPS = 100;

function manifests(version: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < RESOURCES; i++) {
    files[`app/resource-${i}.yaml`] = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: web-${i}`,
      `  labels: { app: web-${i}, version: "${version}" }`,
      'spec:',
      '  replicas: 2',
      `  selector: { matchLabels: { app: web-${i} } }`,
      '  template:',
      `    metadata: { labels: { app: web-${i} } }`,
      '    spec:',
      '      containers:',
      `        - name: web`,
      `          image: nginx:1.27`,
      '          ports: [{ containerPort: 80 }]',
      '          env: [{ name: MODE, value: production }]',
      '',
    ].join('\n');
  }
  return files;
}

/** Times a step and counts the Git requests (fetches) it made. */
function timer(gitRequests: () => number) {
  return async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const before = gitRequests();
    const start = process.hrtime.bigint();
    const result = await fn();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(
      `${label.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms  git requests: ${
        gitRequests() - before
      }`,
    );
    return result;
  };
}

async function main() {
  const server = await startGitServer();
  const cacheDir = await mkdtemp(join(tmpdir(), 'gitops-bench-'));
  try {
    const repo = await createTestRepo(server, 'bench');
    const time = timer(() => server.fetchCount('bench'));
    await repo.commit(manifests(1));
    const mirrors = createGitMirrors({
      cacheDir,
      timeoutMs: 60_000,
      allowHttp: true,
    });
    const service = createRepositoryService({ mirrors });
    const source = { repoURL: repo.url, path: 'app', targetRevision: 'HEAD' };

    console.log(`Repository service, ${RESOURCES} resources in one directory`);
    const cold = await time(
      'render, cold (fetch into a new mirror, read, parse)',
      () => service.render({ appName: 'bench', source }),
    );
    if (cold.manifests.length !== RESOURCES) {
      throw new Error(
        `expected ${RESOURCES} manifests, got ${cold.manifests.length}`,
      );
    }
    const cached = await time('render, no new commit (cached)', () =>
      service.render({ appName: 'bench', source }),
    );
    await repo.commit({ 'README.md': 'unrelated change\n' });
    const untouched = await time(
      'render, new commit outside the app path',
      () => service.render({ appName: 'bench', source }),
    );
    await repo.commit(manifests(2));
    await time('render, new commit changing every resource', () =>
      service.render({ appName: 'bench', source }),
    );
    await time('render, hard refresh (cache dropped)', () =>
      service.render({ appName: 'bench', source, hard: true }),
    );
    console.log(
      `  cached results reused: ${cached.cached}, ${untouched.cached}`,
    );

    const names = Array.from({ length: APPS }, (_, i) => `app-${i}`);
    // A new commit and a new service (as after a restart), so the first
    // render of the fleet must fetch and render; the mirror is kept.
    await repo.commit(manifests(3));
    const fleet = createRepositoryService({ mirrors });
    const counted = async (
      label: string,
      fn: () => Promise<{ cached: boolean }[]>,
    ) => {
      const results = await time(label, fn);
      console.log(
        `  cached: ${results.filter(r => r.cached).length}/${results.length}`,
      );
    };
    const oneAfterAnother = async (allowCachedRevision: boolean) => {
      const results = [];
      for (const appName of names) {
        results.push(
          await fleet.render({ appName, source, allowCachedRevision }),
        );
      }
      return results;
    };
    await counted(`first render of ${APPS} apps sharing the repository`, () =>
      Promise.all(
        names.map(appName =>
          fleet.render({ appName, source, allowCachedRevision: true }),
        ),
      ),
    );
    await counted(`no-op refresh of ${APPS} apps (all at once)`, () =>
      Promise.all(
        names.map(appName =>
          fleet.render({ appName, source, allowCachedRevision: true }),
        ),
      ),
    );
    await counted(`no-op refresh of ${APPS} apps, one after another`, () =>
      oneAfterAnother(true),
    );
    await counted(`the same, each asking Git (no allowCachedRevision)`, () =>
      oneAfterAnother(false),
    );
    const usage = process.resourceUsage();
    console.log(
      `peak memory (max RSS of this process): ${(usage.maxRSS / 1024).toFixed(
        0,
      )} MB`,
    );
  } finally {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
