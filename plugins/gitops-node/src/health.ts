import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { HealthStatusCode } from '@backstage-gitops/plugin-gitops-common';

/**
 * A live Kubernetes object as the cluster returns it.
 *
 * @public
 */
export type GitopsKubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

/**
 * The health of one object, as Argo CD reports it.
 *
 * @public
 */
export type GitopsResourceHealth = {
  status: HealthStatusCode;
  message?: string;
};

/**
 * Judges one object of the kind it is registered for. Returning undefined
 * leaves the object to the built-in rules (conditions of a custom resource).
 *
 * @public
 */
export type GitopsHealthCheck = (
  obj: GitopsKubernetesObject,
) => GitopsResourceHealth | undefined;

/**
 * Registers health checks per group and kind; they come before the built-in
 * rules, as Argo CD's `resource.customizations.health.<group_kind>` do.
 *
 * @public
 */
export interface GitopsHealthChecksExtensionPoint {
  /** `group` is empty for the core API group. */
  addHealthCheck(
    target: { group: string; kind: string },
    check: GitopsHealthCheck,
  ): void;
}

/**
 * @public
 */
export const gitopsHealthChecksExtensionPoint =
  createExtensionPoint<GitopsHealthChecksExtensionPoint>({
    id: 'gitops.health-checks',
  });
