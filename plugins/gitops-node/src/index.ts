/**
 * Extension points of the GitOps backend plugin, for backend modules that
 * extend it without forking: health checks for custom resources, extra
 * sources of application definitions, and routing of application events.
 *
 * @packageDocumentation
 */
export { gitopsHealthChecksExtensionPoint } from './health';
export type {
  GitopsHealthCheck,
  GitopsHealthChecksExtensionPoint,
  GitopsResourceHealth,
  GitopsKubernetesObject,
} from './health';
export { gitopsApplicationSourcesExtensionPoint } from './sources';
export type {
  GitopsApplicationSource,
  GitopsApplicationSourcesExtensionPoint,
} from './sources';
export { gitopsNotificationsExtensionPoint } from './notifications';
export type {
  GitopsApplicationEvent,
  GitopsNotificationRouter,
  GitopsNotificationsExtensionPoint,
} from './notifications';
