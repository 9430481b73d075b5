import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, TestGitServer } from './__testUtils__/gitServer';
import { createTestRepo, TestRepo } from './__testUtils__/testRepo';
import { RepositoryError } from './errors';
import { createGitMirrors } from './gitMirrors';

describe('createGitMirrors with credentials', () => {
  const token = 'ghp_Sup3rSecretT0ken';
  let server: TestGitServer;
  let cacheDir: string;
  let repo: TestRepo;

  beforeEach(async () => {
    server = await startGitServer({ token });
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-mirrors-'));
    repo = await createTestRepo(server, 'private');
    await repo.commit({ 'a.yaml': 'a: 1\n' });
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  const withToken = (value: string) =>
    createGitMirrors({
      cacheDir,
      timeoutMs: 10_000,
      allowHttp: true,
      credentials: async url =>
        url === repo.url ? { token: value } : undefined,
    });

  it('sends the token the provider gives for the URL', async () => {
    const git = withToken(token);
    await git.fetch(repo.url);
    await expect(git.resolveRevision(repo.url, 'main')).resolves.toMatch(
      /^[0-9a-f]{40}$/,
    );
  });

  it('reports a wrong token as Auth without revealing it', async () => {
    const wrong = 'ghp_Wr0ngButStillSecret';
    const error = await withToken(wrong)
      .fetch(repo.url)
      .catch(e => e);

    expect(error).toBeInstanceOf(RepositoryError);
    expect(error.code).toBe('Auth');
    const everything = `${error.message} ${error.stack} ${JSON.stringify(
      error,
    )}`;
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(
      Buffer.from(`git:${wrong}`).toString('base64'),
    );
  });

  it('reports a missing token as Auth', async () => {
    const git = createGitMirrors({
      cacheDir,
      timeoutMs: 10_000,
      allowHttp: true,
    });
    await expect(git.fetch(repo.url)).rejects.toMatchObject({ code: 'Auth' });
  });
});
