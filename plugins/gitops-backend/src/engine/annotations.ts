// Argo CD's keys, so manifests written for Argo CD work unchanged. They live
// in -common, with every other annotation the plugins read.
import {
  HELM_HOOK_ANNOTATION,
  HELM_HOOK_DELETE_POLICY_ANNOTATION,
  HELM_HOOK_WEIGHT_ANNOTATION,
  HOOK_ANNOTATION,
  HOOK_DELETE_POLICY_ANNOTATION,
  IGNORE_HEALTHCHECK_ANNOTATION,
  SYNC_WAVE_ANNOTATION,
} from '@backstage-gitops/plugin-gitops-common';
import { Manifest, annotation, describeObject } from './manifest';

/** An annotation whose value cannot be understood, naming the object it is on. */
export class AnnotationError extends Error {
  readonly object: string;
  readonly annotation: string;
  readonly value: string;

  constructor(obj: Manifest, key: string, value: string, problem: string) {
    super(`${describeObject(obj)}: annotation ${key}: "${value}" ${problem}`);
    this.name = 'AnnotationError';
    this.object = describeObject(obj);
    this.annotation = key;
    this.value = value;
  }
}

/** Comma-separated values, trimmed, empty items and repeats dropped. */
export function splitList(value: string): string[] {
  const items = value
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);
  return [...new Set(items)];
}

function parseInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) {
    return undefined;
  }
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * The sync wave of an object: Argo CD's annotation, else Helm's hook weight,
 * else 0. Argo CD silently treats an unparsable wave as 0, which reorders a
 * sync without telling anyone; we report it instead.
 */
export function syncWave(obj: Manifest): number | AnnotationError {
  for (const key of [SYNC_WAVE_ANNOTATION, HELM_HOOK_WEIGHT_ANNOTATION]) {
    const text = annotation(obj, key);
    if (text !== undefined) {
      return (
        parseInteger(text) ??
        new AnnotationError(obj, key, text, 'is not an integer')
      );
    }
  }
  return 0;
}

export const HOOK_TYPES = [
  'PreSync',
  'Sync',
  'PostSync',
  'SyncFail',
  'PreDelete',
  'PostDelete',
  'Skip',
] as const;
export type HookType = (typeof HOOK_TYPES)[number];

function isHookType(value: string): value is HookType {
  return (HOOK_TYPES as readonly string[]).includes(value);
}

/**
 * Helm hook events as Argo CD maps them (user-guide/helm). `crd-install` is
 * deliberately absent: Argo CD applies such a CRD as an ordinary resource,
 * where the kind order already puts CRDs before the resources that use them.
 */
// Maps, not object literals: an event named `constructor` or `toString` must
// not find what every object inherits.
const HELM_HOOK_TYPES = new Map<string, HookType>([
  ['pre-install', 'PreSync'],
  ['pre-upgrade', 'PreSync'],
  ['post-install', 'PostSync'],
  ['post-upgrade', 'PostSync'],
  ['post-delete', 'PostDelete'],
]);

/**
 * Helm events Argo CD has no phase for. An object carrying only these is still
 * a Helm hook, so Argo CD never applies it: a chart's test pods must not be
 * deployed by a sync. We say so explicitly by returning `Skip`.
 */
const UNSUPPORTED_HELM_EVENTS = new Set([
  'pre-delete',
  'pre-rollback',
  'post-rollback',
  'test',
  'test-success',
  'test-failure',
]);

function helmHookTypes(
  obj: Manifest,
  text: string,
): HookType[] | AnnotationError {
  const types = new Set<HookType>();
  let unsupported = false;
  for (const event of splitList(text.toLowerCase())) {
    const mapped = HELM_HOOK_TYPES.get(event);
    if (mapped) {
      types.add(mapped);
    } else if (UNSUPPORTED_HELM_EVENTS.has(event)) {
      unsupported = true;
    } else if (event !== 'crd-install') {
      return new AnnotationError(
        obj,
        HELM_HOOK_ANNOTATION,
        text,
        `names an unknown Helm hook "${event}"`,
      );
    }
  }
  if (types.size === 0 && unsupported) {
    return ['Skip'];
  }
  return [...types];
}

/**
 * The hook types of an object; an empty list for an ordinary resource. When
 * both Argo CD's and Helm's annotations are present, Argo CD's wins entirely,
 * as it does in Argo CD.
 */
export function hookTypes(obj: Manifest): HookType[] | AnnotationError {
  const text = annotation(obj, HOOK_ANNOTATION);
  if (text !== undefined) {
    const items = splitList(text);
    if (items.length === 0) {
      return new AnnotationError(obj, HOOK_ANNOTATION, text, 'is empty');
    }
    const unknown = items.find(item => !isHookType(item));
    if (unknown !== undefined) {
      return new AnnotationError(
        obj,
        HOOK_ANNOTATION,
        text,
        `names an unknown hook type "${unknown}"`,
      );
    }
    return items.filter(isHookType);
  }
  const helm = annotation(obj, HELM_HOOK_ANNOTATION);
  return helm === undefined ? [] : helmHookTypes(obj, helm);
}

/** Argo CD skips an object only when `Skip` is its sole hook type. */
export function isSkipped(types: readonly HookType[]): boolean {
  return types.length === 1 && types[0] === 'Skip';
}

/** Whether parsed hook types make the object a hook rather than a resource. */
export function isHook(types: readonly HookType[]): boolean {
  return types.some(type => type !== 'Skip');
}

/**
 * Whether a live object is (a run of) a hook, by its own annotations: what a
 * sync created from a hook, including one named by `generateName` whose name
 * matches no manifest. Such objects are not resources: they never count in
 * sync status and are never pruned; only their delete policy deletes them.
 * `Skip`, which Git keeps out of syncs, and an unreadable hook annotation
 * count too: neither is ever pruned.
 */
export function isHookObject(obj: Manifest): boolean {
  const types = hookTypes(obj);
  return types instanceof AnnotationError || types.length > 0;
}

export const HOOK_DELETE_POLICIES = [
  'HookSucceeded',
  'HookFailed',
  'BeforeHookCreation',
] as const;
export type HookDeletePolicy = (typeof HOOK_DELETE_POLICIES)[number];

const HELM_DELETE_POLICIES = new Map<string, HookDeletePolicy>([
  ['hook-succeeded', 'HookSucceeded'],
  ['hook-failed', 'HookFailed'],
  ['before-hook-creation', 'BeforeHookCreation'],
]);

function isDeletePolicy(value: string): value is HookDeletePolicy {
  return (HOOK_DELETE_POLICIES as readonly string[]).includes(value);
}

/**
 * When a hook object is deleted. Unlike hook types, Argo CD combines its own
 * and Helm's policies, and defaults to BeforeHookCreation when neither is set.
 */
export function deletePolicies(
  obj: Manifest,
): HookDeletePolicy[] | AnnotationError {
  const policies = new Set<HookDeletePolicy>();
  const argo = annotation(obj, HOOK_DELETE_POLICY_ANNOTATION);
  for (const item of splitList(argo ?? '')) {
    if (!isDeletePolicy(item)) {
      return new AnnotationError(
        obj,
        HOOK_DELETE_POLICY_ANNOTATION,
        argo ?? '',
        `names an unknown delete policy "${item}"`,
      );
    }
    policies.add(item);
  }
  const helm = annotation(obj, HELM_HOOK_DELETE_POLICY_ANNOTATION);
  for (const item of splitList(helm ?? '')) {
    const mapped = HELM_DELETE_POLICIES.get(item);
    if (!mapped) {
      return new AnnotationError(
        obj,
        HELM_HOOK_DELETE_POLICY_ANNOTATION,
        helm ?? '',
        `names an unknown Helm delete policy "${item}"`,
      );
    }
    policies.add(mapped);
  }
  return policies.size > 0 ? [...policies] : ['BeforeHookCreation'];
}

/**
 * Whether the object is left out of its application's health. Only `"true"`
 * and `"false"` mean anything; a typo must not silently hide a broken resource.
 */
export function ignoreHealthcheck(obj: Manifest): boolean | AnnotationError {
  const text = annotation(obj, IGNORE_HEALTHCHECK_ANNOTATION);
  if (text === undefined || text === 'false') {
    return false;
  }
  if (text === 'true') {
    return true;
  }
  return new AnnotationError(
    obj,
    IGNORE_HEALTHCHECK_ANNOTATION,
    text,
    'must be "true" or "false"',
  );
}
