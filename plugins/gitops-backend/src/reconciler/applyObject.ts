import {
  ClusterClient,
  KubeObject,
  WriteOptions,
} from '../cluster/ClusterClient';
import { KubeApiError } from '../cluster/kubeRequest';
import { SyncAction } from '../engine/sync';

type ApplyAction = Extract<SyncAction, { type: 'apply' }>;

const GONE_TIMEOUT_MS = 60_000;
const GONE_POLL_MS = 250;

/**
 * Writes one object the way its sync options ask, as Argo CD does:
 * server-side apply by default; `Replace=true` replaces it whole (kubectl
 * replace), and with `Force=true` deletes and creates it; `Force=true` alone
 * deletes and re-applies an object the server refuses to change in place (an
 * immutable field, 422), as `kubectl apply --force`; `Validate=false` lets
 * the server drop unknown fields (with a merge patch, see below).
 */
export async function applyObject(
  cluster: ClusterClient,
  action: ApplyAction,
): Promise<void> {
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
    return;
  }
  if (!action.validate) {
    // Server-side apply refuses unknown fields whatever the validation
    // setting, so Validate=false writes the way `kubectl apply
    // --validate=false` effectively does: a merge patch.
    await cluster.mergePatch(object, options);
    return;
  }
  try {
    await cluster.apply(object, options);
  } catch (error) {
    const immutable = error instanceof KubeApiError && error.statusCode === 422;
    if (!action.force || !immutable) throw error;
    // The dry run of the validation pass cannot show a delete and create;
    // the real apply below does it.
    if (action.dryRun) return;
    await recreate(cluster, object, () => cluster.apply(object, options));
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
