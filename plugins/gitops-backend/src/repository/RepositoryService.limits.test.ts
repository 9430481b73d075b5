import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, TestGitServer } from './__testUtils__/gitServer';
import { createTestRepo, TestRepo } from './__testUtils__/testRepo';
import { createGitMirrors, GitMirrors } from './gitMirrors';
import { createRepositoryService } from './RepositoryService';

jest.setTimeout(300_000);

// What the hardening report found: one 9.5 MB file of tiny ConfigMaps, well
// within the byte and file limits, that overflowed the call stack.
const COUNT = 126_000;
function manyConfigMaps(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `cm-${String(i).padStart(6, '0')}`;
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`,
    );
  }
  return docs.join('---\n');
}

describe('RepositoryService object limit', () => {
  let server: TestGitServer;
  let cacheDir: string;
  let repo: TestRepo;
  let mirrors: GitMirrors;

  beforeAll(async () => {
    server = await startGitServer();
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-limits-'));
    repo = await createTestRepo(server, 'many');
    const file = manyConfigMaps(COUNT);
    // As reported: about 9.5 MB, under the 10 MB a source may read.
    if (file.length < 9_000_000 || file.length > 10 * 1024 * 1024) {
      throw new Error(`the fixture is ${file.length} bytes`);
    }
    await repo.commit({ 'apps/many/configmaps.yaml': file });
    mirrors = createGitMirrors({
      cacheDir,
      timeoutMs: 60_000,
      allowHttp: true,
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  const render = (maxObjects?: number) =>
    createRepositoryService({ mirrors, maxObjects }).render({
      appName: 'many',
      source: { repoURL: repo.url, path: 'apps/many', targetRevision: 'main' },
    });

  it('refuses 126,000 objects under the default limit in words, naming both counts', async () => {
    const error = await render().catch(e => e);
    expect(error).toMatchObject({
      name: 'RepositoryError',
      code: 'TooLarge',
      appName: 'many',
    });
    expect(error.message).toBe(
      'application "many": renders 126000 objects, more than the limit of 10000 objects per application (gitops.limits.maxApplicationObjects)',
    );
  });

  it('renders all of them under a raised limit', async () => {
    const result = await render(200_000);
    expect(result.manifests).toHaveLength(COUNT);
    expect(result.manifests[COUNT - 1].manifest.metadata).toEqual({
      name: 'cm-125999',
    });
  });
});
