import { HealthStatusCode } from '@backstage-gitops/plugin-gitops-common';
import { Manifest } from '../manifest';

export type ResourceHealth = { status: HealthStatusCode; message?: string };

/** A built-in rule for one kind: always has an answer for that kind. */
export type HealthCheck = (obj: Manifest) => ResourceHealth;
