import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { HealthStatusCode } from '@backstage-gitops/plugin-gitops-common';

/**
 * Something that happened to an application that people may need to hear of.
 *
 * @public
 */
export type GitopsApplicationEvent =
  | {
      type: 'sync-failed';
      application: string;
      operationId: string;
      message: string;
    }
  | { type: 'degraded'; application: string; previous: HealthStatusCode }
  | { type: 'recovered'; application: string; previous: HealthStatusCode };

/**
 * Receives application events to route them (to chat, a pager, owners).
 * A failing router is logged and does not stop the others.
 *
 * @public
 */
export interface GitopsNotificationRouter {
  onApplicationEvent(event: GitopsApplicationEvent): Promise<void>;
}

/**
 * @public
 */
export interface GitopsNotificationsExtensionPoint {
  addRouter(router: GitopsNotificationRouter): void;
}

/**
 * @public
 */
export const gitopsNotificationsExtensionPoint =
  createExtensionPoint<GitopsNotificationsExtensionPoint>({
    id: 'gitops.notifications',
  });
