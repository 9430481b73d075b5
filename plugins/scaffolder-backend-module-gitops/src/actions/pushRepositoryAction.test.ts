import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { actionContext } from '../__testUtils__/actionContext';
import { startDevGitServer } from '../__testUtils__/devGitServer';
import { testSettings } from '../__testUtils__/settings';
import { pushRepositoryAction } from './pushRepositoryAction';

jest.setTimeout(60_000);

describe('gitops:repository:push', () => {
  let server: Awaited<ReturnType<typeof startDevGitServer>>;
  let workspacePath: string;
  const action = pushRepositoryAction({ settings: testSettings() });

  beforeAll(async () => {
    server = await startDevGitServer();
  });
  afterAll(() => server?.stop());
  beforeEach(() => {
    workspacePath = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-push-ws-'));
    fs.mkdirSync(path.join(workspacePath, 'manifests'));
    fs.writeFileSync(
      path.join(workspacePath, 'catalog-info.yaml'),
      'kind: Component\n',
    );
    fs.writeFileSync(
      path.join(workspacePath, 'manifests/service.yaml'),
      'kind: Service\n',
    );
  });
  afterEach(() => fs.rmSync(workspacePath, { recursive: true, force: true }));

  const run = (input: Record<string, unknown>, isDryRun = false) => {
    const ctx = actionContext({
      input: { branch: 'main', sourcePath: '.', ...input },
      credentials: mockCredentials.user(),
      workspacePath,
      isDryRun,
    });
    return { ctx, done: action.handler(ctx as any) };
  };

  function cloneFiles(): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-push-check-'));
    execFileSync('git', ['clone', '-q', server.url, dir]);
    const files = execFileSync('git', ['ls-files'], { cwd: dir }).toString();
    fs.rmSync(dir, { recursive: true, force: true });
    return files.trim().split('\n');
  }

  it('commits the workspace into a new folder of the repository, next to what is there', async () => {
    const { ctx, done } = run({
      repoUrl: server.url,
      targetPath: 'services/cart',
    });
    await done;
    expect(cloneFiles()).toEqual(
      expect.arrayContaining([
        'guestbook/deployment.yaml',
        'services/cart/catalog-info.yaml',
        'services/cart/manifests/service.yaml',
      ]),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'commit',
      expect.stringMatching(/^[0-9a-f]{40}$/),
    );
    // The example server serves single files, as the catalog reads them.
    const raw = await fetch(
      `${server.url}/raw/main/services/cart/catalog-info.yaml`,
    );
    expect(await raw.text()).toBe('kind: Component\n');
  });

  it('refuses a folder that already exists, and changes nothing', async () => {
    const before = cloneFiles();
    await expect(
      run({ repoUrl: server.url, targetPath: 'guestbook' }).done,
    ).rejects.toThrow(
      `guestbook already exists in ${server.url} (main); choose another name`,
    );
    expect(cloneFiles()).toEqual(before);
  });

  it('pushes to a URL with credentials but shows it masked in outputs, logs and errors', async () => {
    const token = 'glpat-PushT0kenNotToShow';
    const repoUrl = server.url.replace('http://', `http://deploy:${token}@`);
    const masked = server.url.replace('http://', 'http://***@');
    const { ctx, done } = run({ repoUrl, targetPath: 'services/masked' });
    await done;
    expect(cloneFiles()).toContain('services/masked/catalog-info.yaml');
    expect(ctx.output).toHaveBeenCalledWith('repoUrl', masked);
    const refused = await run({ repoUrl, targetPath: 'guestbook' }).done.catch(
      e => e,
    );
    expect(refused.message).toContain(`guestbook already exists in ${masked}`);
    const shown = JSON.stringify([
      ctx.output.mock.calls,
      ctx.logger.info.mock.calls,
      refused.message,
    ]);
    expect(shown).not.toContain(token);
  });

  it('refuses unsafe targets before touching Git', async () => {
    await expect(
      run({ repoUrl: server.url, targetPath: '../up' }).done,
    ).rejects.toThrow('Cannot push: path "../up" must not contain ".."');
    await expect(
      run({ repoUrl: 'ext::sh', targetPath: 'x' }).done,
    ).rejects.toThrow('must not use a git remote helper');
    await expect(
      run({ repoUrl: server.url, targetPath: '.' }).done,
    ).rejects.toThrow('target path must not be the repository root');
  });

  it('pushes nothing in a dry run, and lists what it would push', async () => {
    const before = cloneFiles();
    const { ctx, done } = run(
      { repoUrl: server.url, targetPath: 'services/dry' },
      true,
    );
    await done;
    expect(cloneFiles()).toEqual(before);
    expect(ctx.logger.info).toHaveBeenCalledWith(
      `Dry run: would push 2 files to ${server.url} (main) under services/dry/: catalog-info.yaml, manifests/service.yaml`,
    );
  });
});
