import {
  createConditionExports,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod/v3';
import { gitopsApplicationResourceRef } from './resource';

/**
 * Owners of one of the application's catalog entities may act on it: a
 * policy passes the caller's ownership claims, as for the catalog's rule of
 * the same name (`user.info.ownershipEntityRefs`).
 */
export const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    'Allow applications whose catalog entities are owned by one of the given claims',
  resourceRef: gitopsApplicationResourceRef,
  // zod v3 like the catalog's own IS_ENTITY_OWNER rule.
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Ownership claims, at least one of which owns an entity'),
  }),
  apply: (resource, { claims }) =>
    resource.owners.some(owner => claims.includes(owner)),
  toQuery: ({ claims }) => ({ ownedBy: claims }),
});

/** Every rule of the `gitops-application` resource type. */
export const gitopsApplicationRules = { isEntityOwner };

/**
 * For permission policies: `gitopsApplicationConditions.isEntityOwner({
 * claims })` and `createGitopsApplicationConditionalDecision(permission,
 * conditions)`.
 *
 * @public
 */
export const {
  conditions: gitopsApplicationConditions,
  createConditionalDecision: createGitopsApplicationConditionalDecision,
} = createConditionExports({
  resourceRef: gitopsApplicationResourceRef,
  rules: gitopsApplicationRules,
});
