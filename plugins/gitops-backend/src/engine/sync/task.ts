import { Manifest, groupOf, resourceKey } from '../manifest';
import { SyncPhase } from '../ordering';
import { SyncOptions } from '../syncOptions';
import { ObjectRef, SyncTask } from './types';

export function refOf(obj: Manifest): ObjectRef {
  const { namespace, name } = obj.metadata;
  return namespace === undefined
    ? { apiVersion: obj.apiVersion, kind: obj.kind, name }
    : { apiVersion: obj.apiVersion, kind: obj.kind, namespace, name };
}

/** A task for an object, as planned: nothing done yet. */
export function newTask(
  obj: Manifest,
  phase: SyncPhase,
  wave: number,
  options: SyncOptions,
): SyncTask {
  return {
    id: `${phase}:${resourceKey(obj)}`,
    key: resourceKey(obj),
    group: groupOf(obj),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    syncPhase: phase,
    wave,
    isHook: false,
    action: 'apply',
    status: 'Pending',
    message: '',
    ref: refOf(obj),
    serverSide: options.serverSideApply,
    replace: options.replace,
    force: options.force,
    validate: options.validate,
    propagationPolicy: options.prunePropagationPolicy,
    waitUntilSettled: true,
    progress: 'pending',
  };
}
