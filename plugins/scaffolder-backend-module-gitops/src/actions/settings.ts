import { Config } from '@backstage/config';
import {
  GitCredentialsProvider,
  integrationCredentials,
} from '../git/credentials';

/** What the actions read from config once, at start. */
export type GitopsActionSettings = {
  /** The frontend's base URL, for links to an entity's GitOps tab. */
  appBaseUrl: string;
  allowHttpRepositories: boolean;
  credentials: GitCredentialsProvider;
};

export function readActionSettings(config: Config): GitopsActionSettings {
  return {
    appBaseUrl: config.getString('app.baseUrl').replace(/\/+$/, ''),
    allowHttpRepositories:
      config.getOptionalBoolean('gitops.allowHttpRepositories') ?? false,
    credentials: integrationCredentials(config),
  };
}

/** The GitOps tab of an entity inside the app: `/catalog/<ns>/<kind>/<name>/gitops`. */
export function gitopsTabPath(entityRef: string): string {
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(entityRef);
  if (!match) return '/catalog';
  const [, kind, namespace, name] = match.map(encodeURIComponent);
  return `/catalog/${namespace}/${kind}/${name}/gitops`;
}

/** The same tab as an absolute link, for callers outside the app. */
export function gitopsTabUrl(appBaseUrl: string, entityRef: string): string {
  return `${appBaseUrl}${gitopsTabPath(entityRef)}`;
}
