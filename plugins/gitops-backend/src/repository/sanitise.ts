import { maskUrlCredentials } from '@backstage-gitops/plugin-gitops-common';

/**
 * Removes credentials from text that came out of git (stderr, error
 * messages) before it reaches an error, a log line or the UI. Known secrets
 * are replaced wherever they appear; the patterns catch credentials git may
 * echo that we did not supply ourselves, such as a password in the URL.
 */
export function redactSecrets(
  text: string,
  secrets: readonly string[] = [],
): string {
  let result = text;
  for (const secret of secrets) {
    // Short strings would blank out ordinary words and reveal nothing anyway.
    if (secret.length >= 4) result = result.split(secret).join('***');
  }
  return maskUrlCredentials(
    result
      .replace(/(authorization:\s*)[^\r\n]*/gi, '$1***')
      .replace(/\b(basic|bearer|token)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 ***'),
  );
}

/** A URL fit for logs and messages: any user or password in it is masked. */
export function displayUrl(url: string): string {
  return maskUrlCredentials(url);
}
