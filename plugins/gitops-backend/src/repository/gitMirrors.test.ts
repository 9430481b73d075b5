import {
  access,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, TestGitServer } from './__testUtils__/gitServer';
import { createTestRepo, TestRepo } from './__testUtils__/testRepo';
import { RepositoryError } from './errors';
import { createGitMirrors, GitMirrors, GitMirrorsOptions } from './gitMirrors';
import { mirrorDirName } from './repoUrl';

describe('createGitMirrors', () => {
  let server: TestGitServer;
  let cacheDir: string;
  let repo: TestRepo;
  let first: string;
  let second: string;

  const mirrors = (options: Partial<GitMirrorsOptions> = {}): GitMirrors =>
    createGitMirrors({
      cacheDir,
      timeoutMs: 10_000,
      allowHttp: true,
      ...options,
    });

  beforeEach(async () => {
    server = await startGitServer();
    cacheDir = await mkdtemp(join(tmpdir(), 'gitops-mirrors-'));
    repo = await createTestRepo(server, 'apps');
    first = await repo.commit({ 'app/a.yaml': 'a: 1\n' });
    second = await repo.commit({ 'app/a.yaml': 'a: 2\n' });
  });

  afterEach(async () => {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  describe('resolveRevision', () => {
    it('resolves HEAD, branches, tags and SHAs to full commit SHAs', async () => {
      await repo.branch('release', first);
      await repo.tag('v1', first);
      const annotated = await repo.tag('v1-annotated', first, {
        annotated: true,
      });
      const git = mirrors();
      await git.fetch(repo.url);

      expect(await git.resolveRevision(repo.url, 'HEAD')).toBe(second);
      expect(await git.resolveRevision(repo.url, '')).toBe(second);
      expect(await git.resolveRevision(repo.url, 'main')).toBe(second);
      expect(await git.resolveRevision(repo.url, 'release')).toBe(first);
      expect(await git.resolveRevision(repo.url, 'v1')).toBe(first);
      expect(annotated).not.toBe(first);
      expect(await git.resolveRevision(repo.url, 'v1-annotated')).toBe(first);
      expect(await git.resolveRevision(repo.url, first.slice(0, 7))).toBe(
        first,
      );
      expect(await git.resolveRevision(repo.url, first.toUpperCase())).toBe(
        first,
      );
    });

    it('follows the default branch when the server changes it', async () => {
      await repo.branch('trunk', first);
      const git = mirrors();
      await git.fetch(repo.url);
      expect(await git.resolveRevision(repo.url, 'HEAD')).toBe(second);

      await repo.setHead('trunk');
      await git.fetch(repo.url);
      expect(await git.resolveRevision(repo.url, 'HEAD')).toBe(first);
    });

    it('sees new commits only after a fetch', async () => {
      const git = mirrors();
      await git.fetch(repo.url);
      const third = await repo.commit({ 'other.yaml': 'b: 1\n' });

      expect(await git.resolveRevision(repo.url, 'main')).toBe(second);
      await git.fetch(repo.url);
      expect(await git.resolveRevision(repo.url, 'main')).toBe(third);
    });

    it('names the repository and revision it could not find', async () => {
      const git = mirrors();
      await git.fetch(repo.url);

      const error = await git
        .resolveRevision(repo.url, 'no-such-branch')
        .catch(e => e);

      expect(error).toBeInstanceOf(RepositoryError);
      expect(error.code).toBe('NotFound');
      expect(error.message).toContain('"no-such-branch"');
      expect(error.message).toContain(repo.url);
    });

    it.each(['main~1', 'HEAD^', ':/change', '-x', 'a..b', 'main@{1}'])(
      'refuses revision syntax %s',
      async revision => {
        await expect(
          mirrors().resolveRevision(repo.url, revision),
        ).rejects.toMatchObject({
          code: 'InvalidRevision',
        });
      },
    );
  });

  describe('readTree', () => {
    it('copies files byte for byte, symlinks as their targets', async () => {
      const binary = Buffer.from([0, 255, 10, 13, 0x1f, 0x8b]);
      const sha = await repo.commit({
        'app/logo.png': binary,
        'app/link.yaml': { symlink: 'a.yaml' },
        'other/b.yaml': 'b: 1\n',
      });
      const git = mirrors();
      await git.fetch(repo.url);

      const snapshot = await git.readTree(repo.url, sha, './app/');
      try {
        expect(snapshot.files).toEqual([
          'app/a.yaml',
          'app/link.yaml',
          'app/logo.png',
        ]);
        expect(await readFile(join(snapshot.dir, 'app/logo.png'))).toEqual(
          binary,
        );
        expect(
          await readFile(join(snapshot.dir, 'app/link.yaml'), 'utf8'),
        ).toBe('a: 2\n');
        expect(
          (await lstat(join(snapshot.dir, 'app/link.yaml'))).isSymbolicLink(),
        ).toBe(false);
      } finally {
        await snapshot.dispose();
      }
      await expect(access(snapshot.dir)).rejects.toThrow();
    });

    it('refuses paths that leave the repository', async () => {
      const git = mirrors();
      await git.fetch(repo.url);
      await expect(
        git.readTree(repo.url, second, '../x'),
      ).rejects.toMatchObject({
        code: 'PathEscape',
      });
    });
  });

  describe('describeCommit', () => {
    it('asks git about a commit once: a commit never changes', async () => {
      const git = mirrors();
      await git.fetch(repo.url);
      const described = await git.describeCommit(repo.url, second);
      expect(described.message).not.toBe('');
      // With the mirror gone, git could no longer answer: the words come
      // from the first answer.
      await rm(join(cacheDir, mirrorDirName(repo.url)), {
        recursive: true,
        force: true,
      });
      expect(await git.describeCommit(repo.url, second)).toEqual(described);
      await expect(git.describeCommit(repo.url, first)).rejects.toThrow();
    });
  });

  describe('fetch', () => {
    it('keeps one bare mirror per repository, named by the URL hash', async () => {
      const git = mirrors();
      await git.fetch(repo.url);
      await git.fetch(`${repo.url}/`);

      expect(await readdir(cacheDir)).toEqual([mirrorDirName(repo.url)]);
      const mirror = await readdir(join(cacheDir, mirrorDirName(repo.url)));
      expect(mirror).toEqual(
        expect.arrayContaining(['HEAD', 'objects', 'refs']),
      );
      expect(mirror).not.toContain('app');
    });

    it('runs git once for fetches of one repository made while one is running', async () => {
      const git = mirrors();
      server.setDelay(100);

      await Promise.all([
        git.fetch(repo.url),
        git.fetch(repo.url),
        git.fetch(repo.url),
      ]);
      expect(server.fetchCount('apps')).toBe(1);

      await git.fetch(repo.url);
      expect(server.fetchCount('apps')).toBe(2);
    });

    it('checks the URL before running git', async () => {
      const git = createGitMirrors({ cacheDir, timeoutMs: 10_000 });

      await expect(git.fetch(repo.url)).rejects.toMatchObject({
        code: 'InvalidUrl',
      });
      await expect(
        git.fetch('ext::sh -c touch% /tmp/pwned'),
      ).rejects.toMatchObject({
        code: 'InvalidUrl',
      });
      expect(server.requests).toEqual([]);
      expect(await readdir(cacheDir)).toEqual([]);
    });

    it('fetches an empty repository, which has no HEAD to resolve', async () => {
      const empty = await createTestRepo(server, 'empty');
      const git = mirrors();
      await git.fetch(empty.url);
      await expect(
        git.resolveRevision(empty.url, 'HEAD'),
      ).rejects.toMatchObject({
        code: 'NotFound',
      });
    });

    it('fetches a commit no branch reaches any more by its SHA', async () => {
      const git = mirrors();
      await git.fetch(repo.url);
      const orphan = await repo.commit({ 'orphan.yaml': 'o: 1\n' });
      await repo.branch('main', second);

      expect(await git.resolveRevision(repo.url, orphan)).toBe(orphan);
    });

    it('reports a missing repository as NotFound', async () => {
      await expect(
        mirrors().fetch(server.url('missing')),
      ).rejects.toMatchObject({
        code: 'NotFound',
      });
    });

    it('gives up after the timeout', async () => {
      server.setDelay(3_000);
      const error = await mirrors({ timeoutMs: 300 })
        .fetch(repo.url)
        .catch(e => e);
      expect(error).toMatchObject({ code: 'Timeout' });
      expect(error.message).toContain(repo.url);
    });
  });
});
