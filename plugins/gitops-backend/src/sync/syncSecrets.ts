import { LAST_APPLIED_ANNOTATION, SECRET_MASK, isSecret } from '../engine/diff';
import { Manifest } from '../engine';

// Shorter values are left alone: replacing every "ab" would garble messages
// without protecting anything worth guessing.
const MIN_SECRET_LENGTH = 4;

function variants(value: string): string[] {
  // Go's %q and JSON both escape quotes, backslashes and newlines.
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

/**
 * Every clear value the manifests of a sync hold that must never reach a
 * message: Secret `data` (base64 and decoded), `stringData`, and the
 * last-applied-configuration annotation, which holds a Secret's data in clear.
 */
export function secretValuesOf(manifests: readonly Manifest[]): string[] {
  const values = new Set<string>();
  const add = (value: unknown): void => {
    // A value of the wrong type (`port: 5432` in stringData) is refused by
    // the API server with the value quoted, so its leaves are secrets too.
    if (typeof value === 'number' || typeof value === 'boolean') {
      add(String(value));
      return;
    }
    if (value && typeof value === 'object') {
      Object.values(value).forEach(add);
      return;
    }
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    variants(value).forEach(v => values.add(v));
  };
  for (const obj of manifests) {
    add(obj.metadata.annotations?.[LAST_APPLIED_ANNOTATION]);
    if (!isSecret(obj)) continue;
    const { data, stringData } = obj as {
      data?: Record<string, unknown>;
      stringData?: Record<string, unknown>;
    };
    for (const value of Object.values(stringData ?? {})) add(value);
    for (const value of Object.values(data ?? {})) {
      add(value);
      if (typeof value === 'string') {
        add(Buffer.from(value, 'base64').toString('utf8'));
      }
    }
  }
  // Longest first, so a value is never half-replaced by one it contains.
  return [...values].sort((a, b) => b.length - a.length);
}

/** The message with every secret value replaced by the mask. */
export function redact(message: string, secrets: readonly string[]): string {
  let redacted = message;
  for (const secret of secrets) {
    redacted = redacted.split(secret).join(SECRET_MASK);
  }
  return redacted;
}
