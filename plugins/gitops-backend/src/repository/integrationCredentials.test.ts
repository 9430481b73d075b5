import { ConfigReader } from '@backstage/config';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitServer, TestGitServer } from './__testUtils__/gitServer';
import { createTestRepo } from './__testUtils__/testRepo';
import { createGitMirrors } from './gitMirrors';
import { createIntegrationCredentials } from './integrationCredentials';

describe('createIntegrationCredentials', () => {
  it('prefers the longest matching gitops.repositories entry', async () => {
    const credentials = createIntegrationCredentials(
      new ConfigReader({
        gitops: {
          repositories: [
            { url: 'https://git.example.com/org', token: 'org-token' },
            {
              url: 'https://git.example.com/org/special.git',
              token: 'special',
            },
            { url: 'ssh://git@git.example.com/org', sshPrivateKey: 'KEY' },
          ],
        },
      }),
    );
    expect(await credentials('https://git.example.com/org/app.git')).toEqual({
      username: undefined,
      token: 'org-token',
      sshKey: undefined,
    });
    expect(
      (await credentials('https://git.example.com/org/special'))?.token,
    ).toBe('special');
    expect(await credentials('https://git.example.com/organisation/x')).toBe(
      undefined,
    );
    expect((await credentials('ssh://git@git.example.com/org/a'))?.sshKey).toBe(
      'KEY',
    );
  });

  it("uses the token of Backstage's GitHub and GitLab integrations", async () => {
    const credentials = createIntegrationCredentials(
      new ConfigReader({
        integrations: {
          github: [{ host: 'github.com', token: 'ghp_from_integrations' }],
          gitlab: [{ host: 'gitlab.com', token: 'glpat_from_integrations' }],
        },
      }),
    );
    expect(await credentials('https://github.com/org/repo.git')).toEqual({
      username: 'x-access-token',
      token: 'ghp_from_integrations',
    });
    expect(await credentials('https://gitlab.com/group/repo.git')).toEqual({
      username: 'oauth2',
      token: 'glpat_from_integrations',
    });
    expect(await credentials('git@github.com:org/repo.git')).toBeUndefined();
    expect(
      await credentials('https://elsewhere.example.com/a.git'),
    ).toBeUndefined();
  });

  describe('over authenticated HTTP', () => {
    let server: TestGitServer;
    let cacheDir: string;

    beforeEach(async () => {
      server = await startGitServer({ token: 'entry-token-5d2c' });
      cacheDir = await mkdtemp(join(tmpdir(), 'gitops-integration-'));
    });

    afterEach(async () => {
      await server.close();
      await rm(cacheDir, { recursive: true, force: true });
    });

    it('clones with the token of a gitops.repositories entry', async () => {
      const repo = await createTestRepo(server, 'team');
      const sha = await repo.commit({ 'a.yaml': 'a: 1\n' });
      const mirrors = createGitMirrors({
        cacheDir,
        timeoutMs: 10_000,
        allowHttp: true,
        credentials: createIntegrationCredentials(
          new ConfigReader({
            gitops: {
              repositories: [
                {
                  url: server.url('team').replace(/team\.git$/, ''),
                  token: 'entry-token-5d2c',
                },
              ],
            },
          }),
        ),
      });
      await mirrors.fetch(repo.url);
      expect(await mirrors.resolveRevision(repo.url, 'HEAD')).toBe(sha);
    });
  });
});
