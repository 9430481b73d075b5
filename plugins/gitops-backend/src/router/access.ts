import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { ApplicationDefinition } from '@internal/backstage-plugin-gitops-common';
import express from 'express';
import { z } from 'zod/v3';
import { ApplicationService } from '../applications/ApplicationService';

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

/** The permission check and lookup every application route starts with. */
export function createAccess(deps: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  applications: Pick<ApplicationService, 'readDefinitions'>;
}) {
  async function authorize(
    req: express.Request,
    permission: BasicPermission,
    action: string,
  ): Promise<BackstageCredentials> {
    const credentials = await deps.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await deps.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`You may not ${action}`);
    }
    return credentials;
  }

  // Only applications the caller can see can be acted on by name; an unknown
  // one and an invisible one answer alike.
  async function findApplication(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<ApplicationDefinition> {
    const { applications: visible } = await deps.applications.readDefinitions(
      credentials,
    );
    const app = visible.find(a => a.name === name);
    if (!app) throw new NotFoundError(`No application named "${name}"`);
    return app;
  }

  return { authorize, findApplication };
}

export type Access = ReturnType<typeof createAccess>;
