import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  ApplicationDefinition,
  GITOPS_APPLICATION_RESOURCE_TYPE,
} from '@backstage-gitops/plugin-gitops-common';
import express from 'express';
import { z } from 'zod/v3';
import { ApplicationService } from '../applications/ApplicationService';
import { GitopsApplicationResource } from '../permissions/resource';
import { gitopsApplicationRules } from '../permissions/rules';

/** Offset and limit of a paginated list. */
export const page = {
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
};

/** Validates input at the edge; a mismatch is a 400 that says what. */
export function parse<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(`Invalid ${what}: ${result.error.message}`);
  }
  return result.data;
}

/** Who started something, as history shows it. */
export function initiator(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `service:${principal.subject ?? 'unknown'}`;
}

/**
 * Who is asking and what the policy said: allowed outright, or allowed for
 * the applications that meet the decision's conditions.
 */
export interface Caller {
  credentials: BackstageCredentials;
  decision: PolicyDecision;
}

/** The permission check and lookup every application route starts with. */
export function createAccess(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  applications: Pick<
    ApplicationService,
    'readDefinitions' | 'reloadDefinitions'
  >;
  /** Loads what the rules of conditional decisions look at. */
  loadResources: (
    apps: ApplicationDefinition[],
  ) => Promise<GitopsApplicationResource[]>;
}) {
  const meetsConditions = createConditionAuthorizer(
    Object.values(gitopsApplicationRules),
  );

  // A conditional decision is kept and evaluated per application below; an
  // outright denial says nothing about any application, so it stays a 403.
  async function authorize(
    req: express.Request,
    permission: ResourcePermission<typeof GITOPS_APPLICATION_RESOURCE_TYPE>,
    action: string,
  ): Promise<Caller> {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await deps.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`You may not ${action}`);
    }
    return { credentials, decision };
  }

  /** The applications the decision allows, in their order. */
  async function permitted(
    decision: PolicyDecision,
    apps: ApplicationDefinition[],
  ): Promise<ApplicationDefinition[]> {
    if (decision.result === AuthorizeResult.ALLOW) return apps;
    if (decision.result === AuthorizeResult.DENY) return [];
    const resources = await deps.loadResources(apps);
    return apps.filter((_, i) => meetsConditions(decision, resources[i]));
  }

  async function lookUp(name: string, caller: Caller) {
    const { applications: visible } = await deps.applications.readDefinitions(
      caller.credentials,
    );
    return visible.find(a => a.name === name);
  }

  // Only applications the caller can see and act on can be named; an
  // unknown one, an invisible one and a forbidden one answer alike. A name
  // the definitions do not know yet (an entity registered a moment ago)
  // has the sources read again once before the answer.
  async function findApplication(
    name: string,
    caller: Caller,
  ): Promise<ApplicationDefinition> {
    let app = await lookUp(name, caller);
    if (!app) {
      await deps.applications.reloadDefinitions();
      app = await lookUp(name, caller);
    }
    const [allowed] = app ? await permitted(caller.decision, [app]) : [];
    if (!allowed) throw new NotFoundError(`No application named "${name}"`);
    return allowed;
  }

  return { authorize, permitted, findApplication };
}

export type Access = ReturnType<typeof createAccess>;
