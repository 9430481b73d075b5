import { Manifest, groupOf } from '../manifest';
import { cloneJson, deepEqual, isRecord } from './json';
import { LAST_APPLIED_ANNOTATION } from './normalise';

/** What a secret value is shown as when it is the same on both sides. */
export const SECRET_MASK = '++++++++';
/** What the desired value is shown as when it differs from the live one. */
export const CHANGED_SECRET_MASK = '++++++++ (changed)';

// The masks are fixed tokens chosen by position, not derived from the value:
// a hash, even a salted one, could be tested against guessed passwords, and a
// per-call salt would make the same Secret render differently on every page
// load. Comparing the clear values here is enough to say "changed".

/** Secrets of the core group; an unparsable apiVersion is treated as one. */
export function isSecret(obj: Manifest | undefined): boolean {
  return obj?.kind === 'Secret' && groupOf(obj) === '';
}

type Pair = [desired: unknown, live: unknown];

/** Masks for one value seen on either side; undefined stays undefined. */
function maskPair(desired: unknown, live: unknown): Pair {
  if (desired === undefined || live === undefined) {
    return [
      desired === undefined ? undefined : SECRET_MASK,
      live === undefined ? undefined : SECRET_MASK,
    ];
  }
  return deepEqual(desired, live)
    ? [SECRET_MASK, SECRET_MASK]
    : [CHANGED_SECRET_MASK, SECRET_MASK];
}

/**
 * Masks `data` or `stringData` key by key. A field that is not a map (an
 * invalid Secret) is masked whole, whatever it holds.
 */
function maskMaps(desired: unknown, live: unknown): Pair {
  const mapOrAbsent = (v: unknown) => v === undefined || isRecord(v);
  if (!mapOrAbsent(desired) || !mapOrAbsent(live)) {
    return maskPair(desired, live);
  }
  const d = desired as Record<string, unknown> | undefined;
  const l = live as Record<string, unknown> | undefined;
  const maskedDesired: Record<string, unknown> = {};
  const maskedLive: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(d ?? {}), ...Object.keys(l ?? {})]);
  for (const key of keys) {
    const [md, ml] = maskPair(d?.[key], l?.[key]);
    if (md !== undefined) maskedDesired[key] = md;
    if (ml !== undefined) maskedLive[key] = ml;
  }
  return [d && maskedDesired, l && maskedLive];
}

function setField(obj: Manifest | undefined, field: string, value: unknown) {
  if (obj && value !== undefined) {
    obj[field] = value;
  }
}

function annotationsOf(obj: Manifest | undefined) {
  const annotations = obj?.metadata?.annotations;
  return isRecord(annotations) ? annotations : undefined;
}

function needsMask(obj: Manifest | undefined): boolean {
  return (
    isSecret(obj) || annotationsOf(obj)?.[LAST_APPLIED_ANNOTATION] !== undefined
  );
}

/**
 * Masks both sides of a comparison so that the clear values never leave this
 * function, while equal values still mask identically and different ones
 * differently: a diff can show "changed" without showing what. Covers `data`
 * and `stringData` of core Secrets, and the last-applied-configuration
 * annotation on every kind (for a Secret it holds the data in clear).
 * Returns new objects when there is anything to mask, else the objects given.
 */
export function maskSecretPair(
  desired: Manifest | undefined,
  live: Manifest | undefined,
): { desired: Manifest | undefined; live: Manifest | undefined } {
  if (!needsMask(desired) && !needsMask(live)) return { desired, live };
  const d = desired && cloneJson(desired);
  const l = live && cloneJson(live);
  if (isSecret(d) || isSecret(l)) {
    for (const field of ['data', 'stringData']) {
      const [md, ml] = maskMaps(d?.[field], l?.[field]);
      setField(d, field, md);
      setField(l, field, ml);
    }
  }
  const [md, ml] = maskPair(
    annotationsOf(d)?.[LAST_APPLIED_ANNOTATION],
    annotationsOf(l)?.[LAST_APPLIED_ANNOTATION],
  );
  if (md !== undefined) annotationsOf(d)![LAST_APPLIED_ANNOTATION] = String(md);
  if (ml !== undefined) annotationsOf(l)![LAST_APPLIED_ANNOTATION] = String(ml);
  return { desired: d, live: l };
}

/** One object masked on its own, for API responses, events and errors. */
export function maskSecret(obj: Manifest): Manifest {
  return maskSecretPair(obj, undefined).desired!;
}
