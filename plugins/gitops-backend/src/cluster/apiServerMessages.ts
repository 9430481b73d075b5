import { KubeApiError } from './kubeRequest';
import { redact } from '../sync/syncSecrets';

/**
 * What the API server said about a refused request, Secret values masked:
 * the Status message whenever the server sent one, with or without a
 * reason. Without a Status body the request itself would be the only
 * description (its path can name things the user did not write), so the
 * answer is given by its code.
 */
export function describeError(
  error: unknown,
  secrets: readonly string[],
): string {
  if (error instanceof KubeApiError) {
    // A reason means the server sent a Status, whose message is its own.
    const message =
      error.serverMessage ??
      (error.reason.startsWith('HTTP')
        ? `the API server answered ${error.statusCode}`
        : error.message);
    return redact(message, secrets);
  }
  return redact(
    error instanceof Error ? error.message : String(error),
    secrets,
  );
}
