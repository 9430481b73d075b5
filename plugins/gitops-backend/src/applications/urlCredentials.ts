import {
  ApplicationCondition,
  ApplicationDefinition,
  hasUrlCredentials,
  maskUrlCredentials,
} from '@backstage-gitops/plugin-gitops-common';

/**
 * An application as it leaves the backend (API answers, and through them the
 * UI and scaffolder actions): credentials in its repository URL masked. The
 * definition itself keeps the real URL, which only the Git fetcher reads.
 */
export function shownApplication<T extends ApplicationDefinition>(app: T): T {
  if (!hasUrlCredentials(app.source.repoURL)) return app;
  return {
    ...app,
    source: { ...app.source, repoURL: maskUrlCredentials(app.source.repoURL) },
  };
}

/**
 * A warning for a repository URL that carries credentials: they belong in
 * the backend's config, where they are sent as a header and never shown.
 */
export function urlCredentialConditions(
  app: ApplicationDefinition,
): ApplicationCondition[] {
  if (!hasUrlCredentials(app.source.repoURL)) return [];
  return [
    {
      type: 'Warning',
      message: `repository URL ${maskUrlCredentials(
        app.source.repoURL,
      )} carries credentials; put them in gitops.repositories or integrations instead, and remove them from the URL`,
    },
  ];
}
