import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ApplicationDefinition,
  ApplicationProblem,
  GITOPS_REPO_URL_ANNOTATION,
  applicationFromEntity,
  linkedArgoApplicationNames,
} from '@backstage-gitops/plugin-gitops-common';
import { DefinitionBatch } from './types';
import { checkEngineSettings } from './checkEngineSettings';

/** What one catalog entity contributes to the definitions. */
export type CatalogEntry = {
  ref: string;
  /** The catalog's `metadata.etag`: a new one means the entity changed. */
  etag?: string;
  /** The application its gitops annotations describe. */
  application?: ApplicationDefinition;
  problem?: ApplicationProblem;
  /** Argo CD applications it names in `argocd/app-name`. */
  links: string[];
};

/** Entities that describe an application, or link to an Argo CD one. */
const DEFINITION_ENTITIES: Record<string, symbol>[] = [
  {
    [`metadata.annotations.${GITOPS_REPO_URL_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
  {
    [`metadata.annotations.${ARGOCD_APP_NAME_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
];

/** An application is read from the annotations alone: nothing else is fetched. */
const DEFINITION_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.etag',
  'metadata.annotations',
];

/**
 * One read of every definition entity, in one request. An entity whose etag
 * is the one `previous` holds is kept as it was mapped; only new and changed
 * entities are mapped again.
 */
export async function readCatalogEntries(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  allowHttp: boolean;
  previous?: Map<string, CatalogEntry>;
}): Promise<Map<string, CatalogEntry>> {
  const { catalog, credentials, allowHttp, previous } = options;
  const { items } = await catalog.getEntities(
    { filter: DEFINITION_ENTITIES, fields: DEFINITION_FIELDS },
    { credentials },
  );
  const entries = new Map<string, CatalogEntry>();
  for (const entity of items) {
    const ref = stringifyEntityRef(entity);
    const etag = entity.metadata.etag;
    const known = previous?.get(ref);
    const unchanged = etag !== undefined && known?.etag === etag;
    entries.set(ref, unchanged ? known : entryOf(entity, ref, allowHttp));
  }
  return entries;
}

function entryOf(
  entity: Entity,
  ref: string,
  allowHttp: boolean,
): CatalogEntry {
  const entry: CatalogEntry = {
    ref,
    etag: entity.metadata.etag,
    links: linkedArgoApplicationNames(entity),
  };
  const result = applicationFromEntity(entity, { allowHttp });
  const problem =
    result.kind === 'application'
      ? checkEngineSettings(result.application)
      : result.kind === 'problem' && result.message;
  if (problem) entry.problem = { origin: ref, message: problem };
  else if (result.kind === 'application')
    entry.application = result.application;
  return entry;
}

/**
 * The refs of the definition entities these credentials may read, asked of
 * the catalog so that its permission rules decide, as they did when every
 * read was made as the caller. Names only: nothing is mapped.
 */
export async function readVisibleEntityRefs(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
}): Promise<Set<string>> {
  const { items } = await options.catalog.getEntities(
    {
      filter: DEFINITION_ENTITIES,
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials: options.credentials },
  );
  return new Set(items.map(entity => stringifyEntityRef(entity)));
}

/** The applications and problems the entries describe, in catalog order. */
export function catalogBatch(entries: CatalogEntry[]): DefinitionBatch {
  const applications: ApplicationDefinition[] = [];
  const problems: ApplicationProblem[] = [];
  for (const entry of entries) {
    if (entry.application) applications.push(entry.application);
    if (entry.problem) problems.push(entry.problem);
  }
  return { applications, problems };
}

/**
 * The entity side of the Argo CD link: entities that name an Argo CD
 * application in `argocd/app-name` (the community plugin's key) are added to
 * its entity refs.
 */
export function linkArgoApplications(
  applications: ApplicationDefinition[],
  entries: CatalogEntry[],
): ApplicationDefinition[] {
  const refsByApp = new Map<string, string[]>();
  for (const entry of entries) {
    for (const name of entry.links) {
      refsByApp.set(name, [...(refsByApp.get(name) ?? []), entry.ref]);
    }
  }
  return applications.map(app => {
    const extra = refsByApp.get(app.name);
    if (!extra) return app;
    return { ...app, entityRefs: [...new Set([...app.entityRefs, ...extra])] };
  });
}
