import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  DefaultGitlabCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { CredentialsProvider, RepoCredentials } from './gitCredentials';
import { normaliseRepoUrl } from '@backstage-gitops/plugin-gitops-common';

type RepositoryEntry = { url: string; credentials: RepoCredentials };

/**
 * Credentials for a repository URL, from two places: an entry of
 * `gitops.repositories` whose URL prefixes it (the only source of SSH keys),
 * else Backstage's own `integrations` config, the same tokens and GitHub Apps
 * the catalog and scaffolder use for that host.
 */
export function createIntegrationCredentials(
  config: Config,
): CredentialsProvider {
  const integrations = ScmIntegrations.fromConfig(config);
  const github =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const gitlab =
    DefaultGitlabCredentialsProvider.fromIntegrations(integrations);
  const entries = readRepositoryEntries(config);

  return async url => {
    const normalised = normaliseRepoUrl(url);
    const entry = entries
      .filter(e => isPrefix(normaliseRepoUrl(e.url), normalised))
      .sort((a, b) => b.url.length - a.url.length)[0];
    if (entry) return entry.credentials;

    // Integrations are keyed by https host; ssh URLs need an explicit entry.
    let integration;
    try {
      integration = integrations.byUrl(url);
    } catch {
      return undefined;
    }
    if (integration?.type === 'github') {
      // App installation tokens need this user name; personal tokens ignore it.
      const { token } = await github.getCredentials({ url });
      return token ? { username: 'x-access-token', token } : undefined;
    }
    if (integration?.type === 'gitlab') {
      const { token } = await gitlab.getCredentials({ url });
      return token ? { username: 'oauth2', token } : undefined;
    }
    return undefined;
  };
}

function readRepositoryEntries(config: Config): RepositoryEntry[] {
  return (config.getOptionalConfigArray('gitops.repositories') ?? []).map(
    entry => ({
      url: entry.getString('url'),
      credentials: {
        username: entry.getOptionalString('username'),
        token: entry.getOptionalString('token'),
        sshKey: entry.getOptionalString('sshPrivateKey'),
      },
    }),
  );
}

// `https://git.example.com/org` covers `.../org/repo`, not `.../organisation`.
function isPrefix(prefix: string, url: string): boolean {
  return url === prefix || url.startsWith(`${prefix.replace(/\/+$/, '')}/`);
}
