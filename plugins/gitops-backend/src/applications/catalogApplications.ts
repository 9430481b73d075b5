import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ApplicationDefinition,
  ApplicationProblem,
  GITOPS_REPO_URL_ANNOTATION,
  applicationFromEntity,
} from '@backstage-gitops/plugin-gitops-common';
import { DefinitionBatch } from './types';
import { checkEngineSettings } from './checkEngineSettings';

/**
 * Reads the applications that catalog entities describe with annotations.
 * The caller's credentials are passed on, so a user only sees applications of
 * entities the catalog lets them see.
 */
export async function readCatalogApplications(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  allowHttp: boolean;
}): Promise<DefinitionBatch> {
  const { catalog, credentials, allowHttp } = options;
  const filter: Record<string, string | symbol> = {
    [`metadata.annotations.${GITOPS_REPO_URL_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  };
  const { items: entities } = await catalog.getEntities(
    { filter },
    { credentials },
  );

  const applications: ApplicationDefinition[] = [];
  const problems: ApplicationProblem[] = [];
  for (const entity of entities) {
    const result = applicationFromEntity(entity, { allowHttp });
    const problem =
      result.kind === 'application'
        ? checkEngineSettings(result.application)
        : result.kind === 'problem' && result.message;
    if (problem) {
      problems.push({ origin: stringifyEntityRef(entity), message: problem });
    } else if (result.kind === 'application') {
      applications.push(result.application);
    }
  }
  return { applications, problems };
}
