import { AuthService } from '@backstage/backend-plugin-api';
import {
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import { GitopsApplicationResource } from './resource';

/**
 * Turns applications into permission resources by reading the owners of
 * their catalog entities. The plugin's own credentials read the catalog: a
 * rule must see an entity's owner even when the caller may not read the
 * entity itself, or ownership could never be proven.
 */
export function createResourceLoader(deps: {
  catalog: CatalogService;
  auth: AuthService;
}): (apps: ApplicationDefinition[]) => Promise<GitopsApplicationResource[]> {
  return async apps => {
    const refs = [...new Set(apps.flatMap(app => app.entityRefs))];
    const owners = new Map<string, string[]>();
    if (refs.length > 0) {
      const { items } = await deps.catalog.getEntitiesByRefs(
        {
          entityRefs: refs,
          fields: ['kind', 'metadata.name', 'metadata.namespace', 'relations'],
        },
        { credentials: await deps.auth.getOwnServiceCredentials() },
      );
      items.forEach((entity, i) => {
        if (!entity) return;
        owners.set(
          refs[i],
          (entity.relations ?? [])
            .filter(relation => relation.type === RELATION_OWNED_BY)
            .map(relation => normalise(relation.targetRef)),
        );
      });
    }
    return apps.map(app => ({
      name: app.name,
      entityRefs: app.entityRefs,
      owners: [
        ...new Set(app.entityRefs.flatMap(ref => owners.get(ref) ?? [])),
      ],
    }));
  };
}

function normalise(ref: string): string {
  return stringifyEntityRef(parseEntityRef(ref));
}
