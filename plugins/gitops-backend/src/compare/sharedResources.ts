import { AuthService } from '@backstage/backend-plugin-api';
import {
  ApplicationCondition,
  ApplicationDefinition,
} from '@backstage-gitops/plugin-gitops-common';
import { ApplicationService } from '../applications/ApplicationService';
import { ResourceStore } from '../database/ResourceStore';
import { resourceKey } from '../engine';
import { sharedResourceWarning } from '../engine/sync';
import { ApplicationComparison } from './compareApplication';

export type SharedResources = {
  conditions(
    app: ApplicationDefinition,
    comparison: Pick<ApplicationComparison, 'resources' | 'hooks'>,
  ): Promise<ApplicationCondition[]>;
};

/**
 * The other half of a SharedResourceWarning. The comparison warns where the
 * live object carries another application's tracking id; the application
 * that holds it would not know that another one renders the same object
 * too. Every comparison's resources are stored, so the application learns
 * it from the other's last comparison: another application on the same
 * destination cluster listing the same resource, or hook of the same name.
 */
export function createSharedResources(deps: {
  resources: Pick<ResourceStore, 'listClaims'>;
  applications: Pick<ApplicationService, 'readDefinitions'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
}): SharedResources {
  return {
    async conditions(app, comparison) {
      const wanted = new Map<
        string,
        { kind: string; namespace?: string; name: string }
      >();
      for (const r of comparison.resources) {
        if (!r.extraneous) wanted.set(r.key, r);
      }
      for (const hook of comparison.hooks) {
        if (!hook.metadata.name) continue;
        wanted.set(resourceKey(hook), {
          kind: hook.kind,
          namespace: hook.metadata.namespace,
          name: hook.metadata.name,
        });
      }
      const claims = await deps.resources.listClaims(
        [...wanted.keys()],
        app.name,
      );
      if (claims.length === 0) return [];
      // Same names on another cluster are other objects.
      const { applications } = await deps.applications.readDefinitions(
        await deps.auth.getOwnServiceCredentials(),
      );
      const sameCluster = new Set(
        applications
          .filter(a => a.destination.cluster === app.destination.cluster)
          .map(a => a.name),
      );
      return claims
        .filter(claim => sameCluster.has(claim.application))
        .map(claim => ({
          type: 'SharedResourceWarning' as const,
          message: sharedResourceWarning(
            wanted.get(claim.key)!,
            app.name,
            claim.application,
          ),
        }));
    },
  };
}
