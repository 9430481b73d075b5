import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  DefaultGitlabCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';

/** Basic-auth credentials for one https repository. */
export type GitCredentials = { username: string; token: string };

export type GitCredentialsProvider = (
  url: string,
) => Promise<GitCredentials | undefined>;

/**
 * Credentials to push to a repository, from Backstage's `integrations`
 * config: the tokens and GitHub Apps the scaffolder's own publish actions
 * use. Hosts without an integration (such as the local example Git server)
 * get none.
 */
export function integrationCredentials(config: Config): GitCredentialsProvider {
  const integrations = ScmIntegrations.fromConfig(config);
  const github =
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  const gitlab =
    DefaultGitlabCredentialsProvider.fromIntegrations(integrations);
  return async url => {
    let integration;
    try {
      integration = integrations.byUrl(url);
    } catch {
      return undefined;
    }
    if (integration?.type === 'github') {
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
