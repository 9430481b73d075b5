import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AuditAction } from '@backstage-gitops/plugin-gitops-common';
import { AuditLog } from '../database/AuditLog';
import { initiator } from './access';

// Errors the framework answers with 4xx: the request was refused, not broken.
const REFUSALS = new Set([
  'ConflictError',
  'InputError',
  'NotAllowedError',
  'NotFoundError',
]);

/**
 * Runs an action and records it in the audit trail with its outcome:
 * accepted, refused (with the reason given to the user) or failed.
 * `details` holds request options only, never manifests or secrets.
 */
export async function audited<T>(
  audit: AuditLog | undefined,
  entry: {
    application: string;
    action: AuditAction;
    credentials: BackstageCredentials;
    details?: Record<string, unknown>;
  },
  action: () => Promise<T>,
  resultDetails?: (result: T) => Record<string, unknown>,
): Promise<T> {
  const base = {
    application: entry.application,
    action: entry.action,
    actor: initiator(entry.credentials),
  };
  let result: T;
  try {
    result = await action();
  } catch (error) {
    const name = (error as Error).name;
    await audit?.record({
      ...base,
      outcome: REFUSALS.has(name) ? 'refused' : 'failed',
      message: (error as Error).message,
      details: entry.details,
    });
    throw error;
  }
  await audit?.record({
    ...base,
    outcome: 'accepted',
    details: { ...entry.details, ...resultDetails?.(result) },
  });
  return result;
}
