import {
  ClusterClient,
  KubeObject,
  WriteOptions,
} from '../cluster/ClusterClient';
import { KubeApiError } from '../cluster/kubeRequest';
import { Manifest, describeObject } from '../engine';
import { describeError } from '../cluster/apiServerMessages';
import { redact } from './syncSecrets';

/** Whether the server refused a write as invalid (422), not for access or load. */
export function isInvalid(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError && error.statusCode === 422;
}

/**
 * Server-side apply merges each keyed list with the items other field
 * managers own, so an item a live edit added stays. After `kubectl patch
 * --type=merge` turned a Service's named port 80 into an unnamed port 81,
 * applying Git's port 80 yields two ports, one without a name, and the
 * server refuses it (`spec.ports[0].name: Required value`) though Git's
 * object is valid. A JSON merge patch replaces every list Git sets with
 * Git's, which is the repair a user expects; fields Git does not set stay.
 * So where server-side apply is refused as invalid, the same write is tried
 * as a merge patch; `refused` says why it was needed. When that is refused
 * too, the object truly cannot be written: the error names the fields the
 * server named and the ways out.
 */
export async function mergePatchInstead(
  cluster: ClusterClient,
  object: KubeObject,
  options: WriteOptions,
  refused: KubeApiError,
): Promise<{ stored: KubeObject; note: string }> {
  try {
    const stored = await cluster.mergePatch(object, options);
    return {
      stored,
      note: `server-side apply was refused (${refused.message}); written with a merge patch, which replaces the lists Git sets`,
    };
  } catch (error) {
    if (!isInvalid(error)) throw error;
    throw new Error(cannotApply(object as Manifest, refused, error));
  }
}

function cannotApply(
  object: Manifest,
  applyError: KubeApiError,
  patchError: KubeApiError,
): string {
  const fields = [
    ...new Set(
      [...applyError.causes, ...patchError.causes].flatMap(c =>
        c.field ? [c.field] : [],
      ),
    ),
  ];
  const where =
    fields.length > 0
      ? `the field${fields.length > 1 ? 's' : ''} ${fields.join(', ')}`
      : 'the object';
  const patch =
    patchError.message === applyError.message
      ? 'and so was a merge patch'
      : `and so was a merge patch (${patchError.message})`;
  // An immutable field cannot be written in place at all, so only deleting
  // and creating the object helps.
  const immutable = /immutable/i.test(
    `${applyError.message} ${patchError.message}`,
  );
  const rewrite = immutable
    ? 'the sync option Force=true (argocd.argoproj.io/sync-options on the object) deletes and creates it again'
    : 'the sync option Replace=true (argocd.argoproj.io/sync-options on the object) replaces it whole, Force=true deletes and creates it again';
  return (
    `${describeObject(object)} cannot be applied: server-side apply was ` +
    `refused (${applyError.message}) ${patch}. Fix ${where} in Git, or ` +
    `let the sync rewrite it: ${rewrite}`
  );
}

/**
 * What the server would store for a manifest, by a server-side dry-run
 * apply. Where the server refuses it, a refresh does not give up (selfHeal
 * would skip the application and the drift would stay): invalid (422), the
 * merge-patch dry run a sync falls back to is compared instead; refused for
 * another reason, or refused as a merge patch too, Git's manifest as written
 * is (`stored` undefined). Either way `warning` names the object and the
 * server's message.
 */
export async function dryRunDesired(
  cluster: ClusterClient,
  manifest: Manifest,
  secrets: readonly string[],
): Promise<{ stored?: Manifest; warning?: string }> {
  const object = manifest as KubeObject;
  try {
    return {
      stored: (await cluster.apply(object, { dryRun: true })) as Manifest,
    };
  } catch (error) {
    if (!(error instanceof KubeApiError)) throw error;
    const refused = `${describeObject(
      manifest,
    )}: the API server refused a server-side dry run: ${describeError(
      error,
      secrets,
    )}`;
    if (isInvalid(error)) {
      try {
        const { stored } = await mergePatchInstead(
          cluster,
          object,
          { dryRun: true },
          error,
        );
        return {
          stored: stored as Manifest,
          warning: `${refused}; compared with a merge-patch dry run instead, as a sync writes it`,
        };
      } catch (patchError) {
        if (!(patchError instanceof Error)) throw patchError;
        return { warning: redact(patchError.message, secrets) };
      }
    }
    return { warning: `${refused}; compared with Git's manifest as written` };
  }
}
