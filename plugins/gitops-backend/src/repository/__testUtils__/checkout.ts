import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitMirrors, GitMirrors } from '../gitMirrors';
import { ReadTreeLimits } from '../readTree';
import { createToolRunner, ToolLimits, ToolRunner } from '../runTool';
import { createWorkspace, Workspace } from '../workspace';
import { startGitServer, TestGitServer } from './gitServer';
import { createTestRepo, FileSpec, TestRepo } from './testRepo';
import { testToolPaths } from './tools';

export interface TestCheckout {
  server: TestGitServer;
  repo: TestRepo;
  mirrors: GitMirrors;
  /** Runs the real binaries from test/cluster/build.sh. */
  runner(limits?: Partial<ToolLimits>): ToolRunner;
  /** Another repository on the same server. */
  addRepo(name: string): Promise<TestRepo>;
  /**
   * Commits the files (to `repo` unless another is given), fetches, and
   * opens a workspace at the new commit; `read` is read into it first.
   */
  workspaceAt(
    files: Record<string, FileSpec>,
    options?: {
      repo?: TestRepo;
      read?: string;
      limits?: Partial<ReadTreeLimits>;
    },
  ): Promise<Workspace>;
  close(): Promise<void>;
}

/** A git server, a repository and its mirror: the ground renderers stand on. */
export async function startCheckout(): Promise<TestCheckout> {
  const server = await startGitServer();
  const cacheDir = await mkdtemp(join(tmpdir(), 'gitops-checkout-'));
  const repo = await createTestRepo(server, 'apps');
  const mirrors = createGitMirrors({
    cacheDir,
    timeoutMs: 10_000,
    allowHttp: true,
  });
  const workspaces: Workspace[] = [];
  const tools = testToolPaths();

  return {
    server,
    repo,
    mirrors,
    runner: limits => createToolRunner({ tools, limits }),
    addRepo: name => createTestRepo(server, name),
    async workspaceAt(files, options = {}) {
      const target = options.repo ?? repo;
      const revision = await target.commit(files);
      await mirrors.fetch(target.url);
      const workspace = await createWorkspace({
        mirrors,
        url: target.url,
        revision,
        limits: options.limits,
      });
      workspaces.push(workspace);
      if (options.read !== undefined) await workspace.addTree(options.read);
      return workspace;
    },
    async close() {
      await Promise.all(workspaces.map(w => w.dispose()));
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
