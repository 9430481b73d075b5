import {
  AuthService,
  PermissionsRegistryService,
} from '@backstage/backend-plugin-api';
import {
  ApplicationDefinition,
  gitopsPermissions,
} from '@backstage-gitops/plugin-gitops-common';
import { ApplicationService } from '../applications/ApplicationService';
import {
  GitopsApplicationResource,
  gitopsApplicationResourceRef,
} from './resource';
import { gitopsApplicationRules } from './rules';

/**
 * Declares the permissions on the `gitops-application` resource type with
 * its rules, so a policy may answer conditionally (IS_ENTITY_OWNER). The
 * permission backend evaluates such a decision for a named application (the
 * frontend's `usePermission` with a resourceRef) by loading it through
 * `getResources`; the plugin's own routes evaluate them in router/access.ts.
 */
export function registerApplicationResourceType(deps: {
  permissionsRegistry: PermissionsRegistryService;
  auth: AuthService;
  applications: Pick<ApplicationService, 'readDefinitions'>;
  loadResources: (
    apps: ApplicationDefinition[],
  ) => Promise<GitopsApplicationResource[]>;
}): void {
  deps.permissionsRegistry.addResourceType({
    resourceRef: gitopsApplicationResourceRef,
    permissions: gitopsPermissions,
    rules: Object.values(gitopsApplicationRules),
    async getResources(names) {
      const credentials = await deps.auth.getOwnServiceCredentials();
      const { applications } = await deps.applications.readDefinitions(
        credentials,
      );
      const found = names.map(name => applications.find(a => a.name === name));
      const known = found.filter(
        (app): app is ApplicationDefinition => app !== undefined,
      );
      const loaded = await deps.loadResources(known);
      return found.map(app => (app ? loaded[known.indexOf(app)] : undefined));
    },
  });
}
