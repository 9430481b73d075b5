import { ApplicationProblem } from '@backstage-gitops/plugin-gitops-common';
import { ClusterClient } from '../../cluster/ClusterClient';
import { UnknownKindError } from '../../cluster/discovery';
import { RepositoryService, isRepositoryError } from '../../repository';
import { displayUrl, redactSecrets } from '../../repository/sanitise';
import { describeArgoObject } from './fields';
import { ARGO_API_VERSION } from './mapApplication';
import { ArgoClusterLocation, ArgoGitLocation } from './settings';

/**
 * An object read from a location, with where it came from for messages and,
 * for a cluster location, where it lives (its finalizers are ours to run).
 */
export type ArgoObject = {
  origin: string;
  object: unknown;
  cluster?: { cluster: string; namespace: string };
};

export type ArgoObjects = {
  objects: ArgoObject[];
  problems: ApplicationProblem[];
};

const ARGO_KINDS = ['Application', 'AppProject'];

/**
 * Reads a Git folder through the repository service, so the same
 * credentials, URL rules and size limits apply as to applications. The
 * render name cannot be an application's (it is not a Kubernetes name), so
 * its cache never mixes with theirs. The commit read comes with the objects.
 */
export async function readArgoGitLocation(
  repository: RepositoryService,
  location: ArgoGitLocation,
  index: number,
): Promise<ArgoObjects & { revision?: string }> {
  const where = `gitops.argocd.git[${index}] ${displayUrl(location.repoURL)}`;
  try {
    const rendered = await repository.render({
      appName: `argocd:git[${index}]`,
      source: {
        repoURL: location.repoURL,
        path: location.path,
        targetRevision: location.targetRevision,
        ...(location.recurse ? { directory: { recurse: true } } : {}),
      },
    });
    const objects: ArgoObject[] = [];
    const problems: ApplicationProblem[] = [];
    for (const { file, manifest } of rendered.manifests) {
      const origin = `${where} ${file}: ${describeArgoObject(manifest)}`;
      if (!ARGO_KINDS.includes(manifest.kind)) {
        problems.push({
          origin,
          message: `${manifest.kind} is not an Argo CD Application or AppProject and is ignored`,
        });
        continue;
      }
      objects.push({ origin, object: manifest });
    }
    return { objects, problems, revision: rendered.revision };
  } catch (error) {
    // One unreadable location must not hide the applications of the others.
    const message = isRepositoryError(error)
      ? error.message
      : redactSecrets((error as Error).message);
    return { objects: [], problems: [{ origin: where, message }] };
  }
}

/** Reads Application and AppProject objects from a namespace of a cluster. */
export async function readArgoClusterLocation(
  clientFor: (cluster: string) => ClusterClient,
  location: ArgoClusterLocation,
): Promise<ArgoObjects> {
  const where = `gitops.argocd.clusters ${location.cluster}/${location.namespace}`;
  const objects: ArgoObject[] = [];
  const problems: ApplicationProblem[] = [];
  for (const kind of ARGO_KINDS) {
    try {
      const items = await clientFor(location.cluster).list(
        ARGO_API_VERSION,
        kind,
        {
          namespace: location.namespace,
        },
      );
      for (const item of items) {
        objects.push({
          origin: `${where}: ${kind}/${item.metadata.name ?? '(no name)'}`,
          object: item,
          cluster: { cluster: location.cluster, namespace: location.namespace },
        });
      }
    } catch (error) {
      // Without the CRD there is nothing of that kind to read; say so for
      // Applications, the kind the location exists for.
      if (error instanceof UnknownKindError) {
        if (kind === 'Application') {
          problems.push({
            origin: where,
            message: `the cluster does not serve ${ARGO_API_VERSION} Application (is the Argo CD CRD installed?)`,
          });
        }
        continue;
      }
      problems.push({
        origin: where,
        message: `${kind} objects cannot be listed: ${
          (error as Error).message
        }`,
      });
    }
  }
  return { objects, problems };
}
