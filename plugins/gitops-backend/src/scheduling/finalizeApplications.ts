import { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID } from 'crypto';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';
import {
  ArgoSource,
  DeletingApplication,
} from '../applications/argocd/ArgoSource';
import { ARGO_API_VERSION } from '../applications/argocd/mapApplication';
import { ClusterClient, KubeObject } from '../cluster/ClusterClient';
import {
  Manifest,
  describeObject,
  hookTypes,
  isManifest,
  withEmptyName,
} from '../engine';
import { OperationStore } from '../database/OperationStore';
import { RepositoryService } from '../repository';
import {
  FinalizerStep,
  namePostDeleteHook,
  needsPostDeleteHooks,
  nextFinalizerStep,
} from './applicationFinalizers';
import { prepareDesired } from '../compare/desiredState';
import { trackedObjects } from '../compare/liveState';

// Steps taken in one pass before the next pass takes over: deleting,
// then seeing the objects go, then removing the finalizer fit well within.
const MAX_STEPS = 5;

export type ApplicationFinalizer = {
  /** Runs the finalizers of every Application being deleted, one step each. */
  finalizeAll(): Promise<void>;
};

/**
 * The I/O around `applicationFinalizers.ts`: reads the Application object
 * and what its application tracks, takes the step decided there, and asks
 * again until it must wait. Each pass starts from the cluster, so any
 * backend may take over where another stopped.
 */
export function createApplicationFinalizer(deps: {
  argo: Pick<ArgoSource, 'readDeleting'>;
  clientFor: (cluster: string) => ClusterClient;
  repository: Pick<RepositoryService, 'render' | 'forget'>;
  operations: Pick<
    OperationStore,
    'hasUnfinished' | 'tryAcquireLease' | 'releaseLease'
  >;
  logger: LoggerService;
  /**
   * How long the application's sync lease is held between two passes: no
   * sync may start while its resources are being deleted. Longer than the
   * passes' interval.
   */
  holdMs: number;
}): ApplicationFinalizer {
  const { clientFor, logger, operations } = deps;
  const holder = `finalizer:${randomUUID()}`;

  async function finalizeOne(entry: DeletingApplication): Promise<void> {
    const { application: app } = entry;
    // A sync started from a definition read before the deletion would
    // apply again what the cascade deletes: the finalizer holds the sync
    // lease from its first step until its last, and waits for a sync that
    // holds it, or left its operation unfinished.
    if (!(await operations.tryAcquireLease(app.name, holder, deps.holdMs))) {
      logger.info(`gitops: deleting ${app.name}: waiting for its sync`);
      return;
    }
    if (await operations.hasUnfinished(app.name)) {
      logger.info(`gitops: deleting ${app.name}: waiting for its sync`);
      await operations.releaseLease(app.name, holder);
      return;
    }
    if (await finalizeSteps(entry)) {
      await operations.releaseLease(app.name, holder);
    }
  }

  /** Takes the steps due now; answers whether the finalizing is over. */
  async function finalizeSteps(entry: DeletingApplication): Promise<boolean> {
    const { application: app } = entry;
    const home = clientFor(entry.cluster);
    const destination = clientFor(app.destination.cluster);
    const ref = {
      apiVersion: ARGO_API_VERSION,
      kind: 'Application',
      name: app.name,
      namespace: entry.namespace,
    };
    for (let i = 0; i < MAX_STEPS; i++) {
      const object = await home.get(ref);
      if (!object?.metadata.deletionTimestamp) return true;
      const finalizers = finalizersOf(object);
      const step = nextFinalizerStep({
        finalizers,
        live: (await trackedObjects(destination, app.name)) as Manifest[],
        postDeleteHooks: needsPostDeleteHooks(finalizers)
          ? await renderPostDeleteHooks(app, destination)
          : undefined,
      });
      if (step.action === 'none') return true;
      if (step.action === 'wait') {
        logger.info(`gitops: deleting ${app.name}: ${step.reason}`);
        return false;
      }
      await take(step, object, home, destination, app);
    }
    return false;
  }

  async function take(
    step: Exclude<FinalizerStep, { action: 'none' | 'wait' }>,
    object: KubeObject,
    home: ClusterClient,
    destination: ClusterClient,
    app: ApplicationDefinition,
  ): Promise<void> {
    if (step.action === 'delete') {
      await deleteAll(step.objects, step.propagationPolicy, destination, app);
      return;
    }
    if (step.action === 'createHooks') {
      for (const hook of step.hooks) await destination.create(hook);
      return;
    }
    if (step.deleteFirst) {
      await deleteAll(step.deleteFirst, 'Background', destination, app);
    }
    const remaining = finalizersOf(object).filter(
      f => !step.remove.includes(f),
    );
    await home.setFinalizers(
      {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: app.name,
        namespace: object.metadata.namespace,
      },
      remaining,
      String(object.metadata.resourceVersion),
    );
    logger.info(
      `gitops: deleting ${app.name}: removed finalizer ${step.remove.join(
        ', ',
      )}`,
    );
    if (!remaining.length) deps.repository.forget(app.name);
  }

  async function deleteAll(
    objects: Manifest[],
    propagationPolicy: 'Foreground' | 'Background',
    destination: ClusterClient,
    app: ApplicationDefinition,
  ): Promise<void> {
    logger.info(
      `gitops: deleting ${app.name}: deleting ${objects
        .map(describeObject)
        .join(', ')} (${propagationPolicy})`,
    );
    for (const obj of objects) {
      await destination.delete(
        {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name,
          namespace: obj.metadata.namespace,
        },
        { propagationPolicy },
      );
    }
  }

  // The PostDelete hooks of the source's current revision, placed and
  // stamped like the objects a sync applies.
  async function renderPostDeleteHooks(
    app: ApplicationDefinition,
    cluster: ClusterClient,
  ): Promise<Manifest[]> {
    const rendered = await deps.repository.render({
      appName: app.name,
      source: app.source,
    });
    const hooks = rendered.manifests
      .map(r => ({ file: r.file, manifest: withEmptyName(r.manifest) }))
      .filter((r): r is { file: string; manifest: Manifest } => {
        if (!isManifest(r.manifest)) return false;
        const types = hookTypes(r.manifest);
        return Array.isArray(types) && types.includes('PostDelete');
      })
      .map(r => ({ ...r, manifest: namePostDeleteHook(r.manifest) }));
    const prepared = await prepareDesired({
      appName: app.name,
      destinationNamespace: app.destination.namespace,
      rendered: hooks,
      scopeOf: (apiVersion, kind) => cluster.scopeOf(apiVersion, kind),
    });
    return prepared.resources.map(r => r.manifest);
  }

  return {
    async finalizeAll() {
      const deleting = await deps.argo.readDeleting();
      for (const entry of deleting) {
        try {
          await finalizeOne(entry);
        } catch (error) {
          // One stuck deletion never stops the others; the next pass retries.
          logger.warn(
            `gitops: deleting ${entry.application.name} failed`,
            error as Error,
          );
        }
      }
    },
  };
}

function finalizersOf(object: KubeObject): string[] {
  const { finalizers } = object.metadata;
  return Array.isArray(finalizers)
    ? finalizers.filter((f): f is string => typeof f === 'string')
    : [];
}
