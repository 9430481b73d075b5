import {
  BackstageCredentials,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import { ListApplicationsResponse } from '@internal/backstage-plugin-gitops-common';
import { readCatalogApplications } from './catalogApplications';
import { readConfigApplications } from './configApplications';
import { mergeDefinitions } from './mergeDefinitions';
import { DefinitionBatch } from './types';
import { readGitopsConfig } from '../readGitopsConfig';

/** Lists the applications that the catalog and the config define. */
export interface ApplicationService {
  /** Every valid definition the credentials may see, with the broken ones. */
  readDefinitions(credentials: BackstageCredentials): Promise<DefinitionBatch>;

  listApplications(request: {
    credentials: BackstageCredentials;
    entityRef?: string;
    offset: number;
    limit: number;
  }): Promise<ListApplicationsResponse>;
}

export function createApplicationService(deps: {
  catalog: CatalogService;
  config: RootConfigService;
  statuses: ApplicationStatusStore;
}): ApplicationService {
  const { catalog, config, statuses } = deps;
  const { allowHttpRepositories: allowHttp } = readGitopsConfig(config);

  async function readDefinitions(credentials: BackstageCredentials) {
    const fromConfig = readConfigApplications(config);
    const fromCatalog = await readCatalogApplications({
      catalog,
      credentials,
      allowHttp,
    });
    return mergeDefinitions([fromCatalog, fromConfig]);
  }

  return {
    readDefinitions,
    async listApplications({ credentials, entityRef, offset, limit }) {
      // Always merge everything: whether a name clashes must not depend on
      // which entity is being looked at.
      const merged = await readDefinitions(credentials);
      const applications = entityRef
        ? merged.applications.filter(a => a.entityRefs.includes(entityRef))
        : merged.applications;
      const page = applications.slice(offset, offset + limit);
      const known = await statuses.readStatuses(page.map(a => a.name));
      return {
        items: page.map(a =>
          known.has(a.name) ? { ...a, status: known.get(a.name) } : a,
        ),
        problems: merged.problems,
        totalItems: applications.length,
      };
    },
  };
}
