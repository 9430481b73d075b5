import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ApplicationDefinition,
  linkedArgoApplicationNames,
} from '@backstage-gitops/plugin-gitops-common';

/**
 * The entity side of the link: entities that name an Argo CD application in
 * `argocd/app-name` (the community plugin's key) are added to its entity
 * refs. Read with the caller's credentials, so only entities they may see
 * are linked.
 */
export async function linkEntitiesToArgoApplications(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  applications: ApplicationDefinition[];
}): Promise<ApplicationDefinition[]> {
  const { catalog, credentials, applications } = options;
  if (!applications.length) return applications;
  const { items } = await catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${ARGOCD_APP_NAME_ANNOTATION}`]:
          CATALOG_FILTER_EXISTS,
      },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
    },
    { credentials },
  );
  const refsByApp = new Map<string, string[]>();
  for (const entity of items) {
    for (const name of linkedArgoApplicationNames(entity)) {
      refsByApp.set(name, [
        ...(refsByApp.get(name) ?? []),
        stringifyEntityRef(entity),
      ]);
    }
  }
  return applications.map(app => {
    const extra = refsByApp.get(app.name);
    if (!extra) return app;
    return { ...app, entityRefs: [...new Set([...app.entityRefs, ...extra])] };
  });
}
