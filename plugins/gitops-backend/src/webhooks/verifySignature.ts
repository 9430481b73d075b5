import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares in constant time, so a signature cannot be guessed byte by byte. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * GitHub's `X-Hub-Signature-256` and Bitbucket Server's `X-Hub-Signature`:
 * `sha256=<hex HMAC of the raw body>`. Computed over the bytes received, so
 * nothing parsed or re-serialised can change what is verified.
 */
export function verifyHmacSha256(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = `sha256=${createHmac('sha256', secret)
    .update(rawBody)
    .digest('hex')}`;
  return safeEqual(header, expected);
}

/** GitLab's `X-Gitlab-Token` and Bitbucket Cloud's shared secret: the secret itself. */
export function verifySharedSecret(
  given: string | undefined,
  secret: string,
): boolean {
  return given !== undefined && safeEqual(given, secret);
}
