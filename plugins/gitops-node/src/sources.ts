import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';

/**
 * A source of application definitions besides the catalog, the
 * configuration and Argo CD (for example an internal service catalogue).
 *
 * @public
 */
export interface GitopsApplicationSource {
  /** Names the source in errors and logs. */
  readonly id: string;
  readApplications(options: {
    credentials: BackstageCredentials;
  }): Promise<ApplicationDefinition[]>;
}

/**
 * @public
 */
export interface GitopsApplicationSourcesExtensionPoint {
  addApplicationSource(source: GitopsApplicationSource): void;
}

/**
 * @public
 */
export const gitopsApplicationSourcesExtensionPoint =
  createExtensionPoint<GitopsApplicationSourcesExtensionPoint>({
    id: 'gitops.application-sources',
  });
