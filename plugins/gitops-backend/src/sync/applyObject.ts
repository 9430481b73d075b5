import {
  ClusterClient,
  KubeObject,
  WriteOptions,
} from '../cluster/ClusterClient';
import { SyncAction } from '../engine/sync';
import { isInvalid, mergePatchInstead } from './mergePatchFallback';

type ApplyAction = Extract<SyncAction, { type: 'apply' }>;

const GONE_TIMEOUT_MS = 60_000;
const GONE_POLL_MS = 250;

/**
 * Writes one object the way its sync options ask, as Argo CD does:
 * server-side apply by default; `Replace=true` replaces it whole (kubectl
 * replace), and with `Force=true` deletes and creates it; `Force=true` alone
 * deletes and re-applies an object the server refuses to change in place (an
 * immutable field, 422), as `kubectl apply --force`; `Validate=false` lets
 * the server drop unknown fields (with a merge patch, see below). A
 * server-side apply refused as invalid is tried again as a merge patch
 * (mergePatchFallback.ts). Returns a note for the task's message when the
 * write was not the usual one.
 */
export async function applyObject(
  cluster: ClusterClient,
  action: ApplyAction,
): Promise<string | undefined> {
  const object = action.manifest as KubeObject;
  const options: WriteOptions = {
    dryRun: action.dryRun,
    ...(action.validate ? {} : { fieldValidation: 'Ignore' as const }),
  };
  if (action.replace) {
    if (action.force && !action.dryRun) {
      await recreate(cluster, object, () => cluster.create(object, options));
    } else {
      await cluster.replace(object, options);
    }
    return undefined;
  }
  if (!action.validate) {
    // Server-side apply refuses unknown fields whatever the validation
    // setting, so Validate=false writes the way `kubectl apply
    // --validate=false` effectively does: a merge patch.
    await cluster.mergePatch(object, options);
    return undefined;
  }
  try {
    await cluster.apply(object, options);
    return undefined;
  } catch (error) {
    if (!isInvalid(error)) throw error;
    if (!action.force) {
      return (await mergePatchInstead(cluster, object, options, error)).note;
    }
    // An immutable field. The dry run of the validation pass cannot show a
    // delete and create; the real apply below does it.
    if (action.dryRun) return undefined;
    await recreate(cluster, object, () => cluster.apply(object, options));
    return undefined;
  }
}

async function recreate(
  cluster: ClusterClient,
  object: KubeObject,
  write: () => Promise<unknown>,
): Promise<void> {
  const ref = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name!,
    namespace: object.metadata.namespace,
  };
  await cluster.delete(ref, { propagationPolicy: 'Background' });
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  while (await cluster.get(ref)) {
    if (Date.now() > deadline) {
      throw new Error(
        `${object.kind}/${
          ref.name
        } was deleted to be created again (Force=true), but it is still there after ${
          GONE_TIMEOUT_MS / 1000
        } s`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, GONE_POLL_MS));
  }
  await write();
}
