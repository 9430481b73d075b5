import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { applicationsForPush, repoKey } from './matchApplications';
import { detectProvider, parsePush } from './parsePush';

function app(
  name: string,
  path: string,
  extra: Partial<ApplicationDefinition> = {},
): ApplicationDefinition {
  return {
    name,
    origin: 'config',
    entityRefs: [],
    source: {
      repoURL: 'https://git.example.com/Shop/apps.git',
      path,
      targetRevision: 'HEAD',
    },
    destination: { cluster: 'in-cluster' },
    ...extra,
  };
}

const githubPush = (files: string[], ref = 'refs/heads/main') =>
  parsePush('github', {
    ref,
    repository: {
      clone_url: 'https://git.example.com/shop/apps.git',
      ssh_url: 'git@git.example.com:shop/apps.git',
      default_branch: 'main',
    },
    commits: [{ added: [], modified: files, removed: [] }],
  });

describe('applicationsForPush', () => {
  const apps = [
    app('cart', 'cart'),
    app('cart-v2', 'cart-v2'),
    app('root', ''),
    app('pinned', 'cart', {
      source: {
        repoURL: 'git@git.example.com:shop/apps.git',
        path: 'cart',
        targetRevision: 'release',
      },
    }),
    app('shared', 'web', { manifestGeneratePaths: ['web', 'charts/common'] }),
  ];

  it('refreshes the applications whose path holds a changed file', () => {
    const names = (files: string[]) =>
      applicationsForPush(apps, githubPush(files)).map(a => a.name);
    expect(names(['cart/deployment.yaml'])).toEqual(['cart', 'root']);
    expect(names(['cart-v2/x.yaml'])).toEqual(['cart-v2', 'root']);
    expect(names(['charts/common/values.yaml'])).toEqual(['root', 'shared']);
    expect(names(['web/a.yaml'])).toEqual(['root', 'shared']);
  });

  it('follows the revision: HEAD is the default branch, others by name', () => {
    expect(
      applicationsForPush(
        apps,
        githubPush(['cart/a.yaml'], 'refs/heads/release'),
      ).map(a => a.name),
    ).toEqual(['pinned']);
  });

  it('refreshes every application of the repository when the host lists no files', () => {
    const event = parsePush('bitbucketServer', {
      repository: {
        links: {
          clone: [
            { href: 'ssh://git@git.example.com:7999/shop/apps.git' },
            { href: 'https://git.example.com/scm/shop/apps.git' },
          ],
        },
      },
      changes: [{ ref: { id: 'refs/heads/main' } }],
    });
    expect(applicationsForPush(apps, event).map(a => a.name)).toEqual([
      'cart',
      'cart-v2',
      'root',
      'shared',
    ]);
  });

  it('ignores pushes to other repositories', () => {
    const event = {
      ...githubPush(['cart/a.yaml']),
      repoURLs: ['https://git.example.com/shop/other.git'],
    };
    expect(applicationsForPush(apps, event)).toEqual([]);
  });

  it('compares repository URLs in one form', () => {
    expect(repoKey('https://user:pw@Git.Example.com/Shop/apps.git/')).toBe(
      repoKey('git@git.example.com:shop/apps'),
    );
  });
});

describe('parsePush', () => {
  it('reads GitLab pushes, and knows the file list is partial beyond the listed commits', () => {
    const event = parsePush('gitlab', {
      ref: 'refs/heads/main',
      project: {
        git_http_url: 'https://gitlab.example.com/shop/apps.git',
        default_branch: 'main',
      },
      total_commits_count: 1,
      commits: [{ added: ['a/x.yaml'], modified: [], removed: ['b/y.yaml'] }],
    });
    expect(event).toEqual({
      repoURLs: ['https://gitlab.example.com/shop/apps.git'],
      ref: 'refs/heads/main',
      defaultBranch: 'main',
      changedFiles: ['a/x.yaml', 'b/y.yaml'],
    });
    expect(
      parsePush('gitlab', { project: {}, total_commits_count: 30, commits: [] })
        .changedFiles,
    ).toBeUndefined();
  });

  it('tells the providers apart by their headers', () => {
    expect(detectProvider({ 'x-github-event': 'push' })).toBe('github');
    expect(detectProvider({ 'x-gitlab-event': 'Push Hook' })).toBe('gitlab');
    expect(detectProvider({ 'x-event-key': 'repo:refs_changed' })).toBe(
      'bitbucketServer',
    );
    expect(
      detectProvider({ 'x-event-key': 'repo:push', 'x-hook-uuid': 'u' }),
    ).toBe('bitbucketCloud');
    expect(detectProvider({})).toBeUndefined();
  });
});
