import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ApplicationStatusStore } from '../database/ApplicationStatusStore';
import {
  AppProject,
  DEFAULT_PROJECT,
  ApplicationDefinition,
  ListApplicationsResponse,
} from '@backstage-gitops/plugin-gitops-common';
import { DefinitionBatch } from './types';
import { shownApplication } from './urlCredentials';
import { ArgoSource } from './argocd/ArgoSource';
import { DefinitionsIndex } from './DefinitionsIndex';

/** Lists the applications that the catalog and the config define. */
export interface ApplicationService {
  /** Every valid definition the credentials may see, with the broken ones. */
  readDefinitions(credentials: BackstageCredentials): Promise<DefinitionBatch>;

  /**
   * Reads the sources again now, for a name the index does not know yet
   * (an entity registered a moment ago).
   */
  reloadDefinitions(): Promise<void>;

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
  /** Where definitions are read from: memory, kept fresh by the index. */
  definitions: DefinitionsIndex;
  statuses: ApplicationStatusStore;
  /** Argo CD Application and AppProject YAML; without it, `default` only. */
  argo?: ArgoSource;
}): ApplicationService {
  const { definitions, statuses } = deps;
  const readDefinitions = (credentials: BackstageCredentials) =>
    definitions.read(credentials);

  return {
    readDefinitions,
    reloadDefinitions: () => definitions.reload(),
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
      let merged = await readDefinitions(credentials);
      const of = (batch: typeof merged) =>
        entityRef
          ? batch.applications.filter(a => a.entityRefs.includes(entityRef))
          : batch.applications;
      let matching = of(merged);
      // The GitOps tab of an entity registered a moment ago asks before the
      // next periodic read: the sources are read again once (throttled).
      if (entityRef && !matching.length) {
        await definitions.reload();
        merged = await readDefinitions(credentials);
        matching = of(merged);
      }
      // Filtered before the page is cut, so pages and totals stay honest.
      const applications = permitted ? await permitted(matching) : matching;
      const page = applications.slice(offset, offset + limit);
      const known = await statuses.readStatuses(page.map(a => a.name));
      return {
        items: page
          .map(shownApplication)
          .map(a =>
            known.has(a.name) ? { ...a, status: known.get(a.name) } : a,
          ),
        problems: merged.problems,
        totalItems: applications.length,
      };
    },
  };
}
