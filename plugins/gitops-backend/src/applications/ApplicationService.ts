import {
  BackstageCredentials,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import {
  AppProject,
  DEFAULT_PROJECT,
  ApplicationDefinition,
  ListApplicationsResponse,
} from '@backstage-gitops/plugin-gitops-common';
import { readCatalogApplications } from './catalogApplications';
import { readConfigApplications } from './configApplications';
import { mergeDefinitions } from './mergeDefinitions';
import { readExtraSources } from './extraSources';
import { GitopsApplicationSource } from '@backstage-gitops/plugin-gitops-node';
import { DefinitionBatch } from './types';
import { readGitopsConfig } from '../readGitopsConfig';
import { ArgoSource } from './argocd/ArgoSource';
import { linkEntitiesToArgoApplications } from './argocd/linkEntities';

/** Lists the applications that the catalog and the config define. */
export interface ApplicationService {
  /** Every valid definition the credentials may see, with the broken ones. */
  readDefinitions(credentials: BackstageCredentials): Promise<DefinitionBatch>;

  /** An Argo CD AppProject by name (`default` always exists), or undefined. */
  readProject(name: string): Promise<AppProject | undefined>;

  listApplications(request: {
    credentials: BackstageCredentials;
    entityRef?: string;
    /** Keeps the applications the caller may act on (conditional decisions). */
    permitted?: (
      apps: ApplicationDefinition[],
    ) => Promise<ApplicationDefinition[]>;
    offset: number;
    limit: number;
  }): Promise<ListApplicationsResponse>;
}

export function createApplicationService(deps: {
  catalog: CatalogService;
  config: RootConfigService;
  statuses: ApplicationStatusStore;
  /** Argo CD Application and AppProject YAML; without it, `default` only. */
  argo?: ArgoSource;
  /** Sources that backend modules add through the extension point. */
  extraSources?: GitopsApplicationSource[];
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
    const fromModules = await readExtraSources(
      deps.extraSources ?? [],
      credentials,
      allowHttp,
    );
    if (!deps.argo)
      return mergeDefinitions([fromCatalog, fromConfig, ...fromModules]);
    const fromArgo = await deps.argo.read();
    const linked = await linkEntitiesToArgoApplications({
      catalog,
      credentials,
      applications: fromArgo.applications,
    });
    return mergeDefinitions([
      fromCatalog,
      fromConfig,
      { applications: linked, problems: fromArgo.problems },
      ...fromModules,
    ]);
  }

  return {
    readDefinitions,
    async readProject(name) {
      if (!deps.argo)
        return name === DEFAULT_PROJECT.name ? DEFAULT_PROJECT : undefined;
      return (await deps.argo.read()).projects.get(name);
    },
    async listApplications({
      credentials,
      entityRef,
      permitted,
      offset,
      limit,
    }) {
      // Always merge everything: whether a name clashes must not depend on
      // which entity is being looked at.
      const merged = await readDefinitions(credentials);
      const matching = entityRef
        ? merged.applications.filter(a => a.entityRefs.includes(entityRef))
        : merged.applications;
      // Filtered before the page is cut, so pages and totals stay honest.
      const applications = permitted ? await permitted(matching) : matching;
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
