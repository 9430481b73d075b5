import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ARGOCD_MANIFEST_GENERATE_PATHS_ANNOTATION,
  ApplicationDefinition,
  ApplicationDestination,
  ApplicationSource,
  DEFAULT_TARGET_REVISION,
  GITOPS_ENTITY_REFS_ANNOTATION,
  checkApplicationDefinition,
  normaliseRepoPath,
} from '@backstage-gitops/plugin-gitops-common';
import { checkEngineSettings } from '../checkEngineSettings';
import { posix } from 'node:path';
import { FieldReader, isRecord } from './fields';
import { readIgnoreDifferences, readSyncPolicy } from './mapSyncPolicy';
import { readDirectory, readHelm, readKustomize } from './mapSourceOptions';

export const ARGO_API_VERSION = 'argoproj.io/v1alpha1';
/** The address Argo CD gives the cluster it runs in. */
export const ARGO_IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** A destination cluster declared in config, with its API server if known. */
export type KnownCluster = { name: string; server?: string };

export type ArgoMapContext = {
  clusters: KnownCluster[];
  allowHttp: boolean;
  /** The cluster that Argo CD's in-cluster address means here. */
  inClusterName: string;
};

/**
 * An Argo CD Application read into our model. Without `application` the
 * problems say why it was refused; with it, they name fields that are
 * accepted but not acted on.
 */
export type ArgoApplicationResult = {
  application?: ApplicationDefinition;
  problems: string[];
};

const SPEC_KEYS = [
  'project',
  'source',
  'sources',
  'destination',
  'syncPolicy',
  'ignoreDifferences',
  'revisionHistoryLimit',
  'info',
] as const;
const SOURCE_KEYS = ['repoURL', 'path', 'targetRevision'] as const;

/** Maps `argoproj.io/v1alpha1` `Application` YAML, as written, onto ours. */
export function applicationFromArgo(
  object: unknown,
  context: ArgoMapContext,
): ArgoApplicationResult {
  const fields = new FieldReader();
  if (!isRecord(object) || object.kind !== 'Application') {
    return { problems: ['not an Argo CD Application'] };
  }
  if (object.apiVersion !== ARGO_API_VERSION) {
    return {
      problems: [
        `apiVersion ${String(object.apiVersion)} is not ${ARGO_API_VERSION}`,
      ],
    };
  }
  const metadata = fields.record(object.metadata, 'metadata') ?? {};
  const annotations = fields.record(
    metadata.annotations,
    'metadata.annotations',
  );
  const name = fields.string(metadata.name, 'metadata.name');
  const spec = fields.record(object.spec, 'spec');
  if (!name) fields.fatal.push('metadata.name is missing');
  if (!spec) fields.fatal.push('spec is missing');
  if (!name || !spec) return { problems: fields.fatal };
  fields.unknownKeys(spec, 'spec', SPEC_KEYS, 'note');
  if (spec.revisionHistoryLimit !== undefined) {
    fields.notes.push(
      'spec.revisionHistoryLimit is ignored: history is kept by gitops.history',
    );
  }

  const source = readSource(spec, fields);
  const destination = readDestination(spec.destination, context, fields);
  const syncPolicy = readSyncPolicy(spec.syncPolicy, fields);
  const ignoreDifferences = readIgnoreDifferences(
    spec.ignoreDifferences,
    fields,
  );
  const project = fields.string(spec.project, 'spec.project');
  const entityRefs = readEntityRefs(annotations, fields);
  const generatePaths = source
    ? readGeneratePaths(annotations, source.path, fields)
    : undefined;
  if (fields.fatal.length || !source || !destination) {
    return { problems: [...fields.fatal, ...fields.notes] };
  }

  const application: ApplicationDefinition = {
    name,
    origin: 'argocd',
    entityRefs,
    project: project || 'default',
    source,
    destination,
    ...(syncPolicy ? { syncPolicy } : {}),
    ...(ignoreDifferences?.length ? { ignoreDifferences } : {}),
    ...(generatePaths ? { manifestGeneratePaths: generatePaths } : {}),
  };
  const problem =
    checkApplicationDefinition(application, {
      allowHttp: context.allowHttp,
    }) ?? checkEngineSettings(application);
  if (problem) return { problems: [problem, ...fields.notes] };
  return { application, problems: fields.notes };
}

function readSource(
  spec: Record<string, unknown>,
  fields: FieldReader,
): ApplicationSource | undefined {
  let raw: Record<string, unknown> | undefined;
  let path = 'spec.source';
  const sources = fields.array(spec.sources, 'spec.sources');
  if (sources?.length) {
    // As in Argo CD, `sources` wins over `source`.
    if (spec.source)
      fields.notes.push('spec.source is ignored: spec.sources is set');
    if (sources.length > 1) {
      fields.fatal.push(
        `spec.sources with ${sources.length} sources is not supported yet; use one source`,
      );
      return undefined;
    }
    raw = fields.record(sources[0], 'spec.sources[0]');
    path = 'spec.sources[0]';
  } else {
    raw = fields.record(spec.source, 'spec.source');
  }
  if (!raw) {
    fields.fatal.push('spec.source is missing');
    return undefined;
  }
  if (raw.chart !== undefined) {
    fields.fatal.push(
      `${path}.chart (a chart from a Helm repository) is not supported; keep the chart in Git and name its path`,
    );
  }
  for (const unsupported of ['plugin', 'ref']) {
    if (raw[unsupported] === undefined) continue;
    fields.fatal.push(
      `${path}.${unsupported} is not supported yet for Argo CD Applications`,
    );
  }
  fields.unknownKeys(
    raw,
    path,
    [
      ...SOURCE_KEYS,
      'chart',
      'helm',
      'kustomize',
      'directory',
      'plugin',
      'ref',
    ],
    'fatal',
  );
  const tools = {
    directory: readDirectory(raw.directory, `${path}.directory`, fields),
    helm: readHelm(raw.helm, `${path}.helm`, fields),
    kustomize: readKustomize(raw.kustomize, `${path}.kustomize`, fields),
  };
  const repoURL = fields.string(raw.repoURL, `${path}.repoURL`);
  if (!repoURL) {
    fields.fatal.push(`${path}.repoURL is missing`);
    return undefined;
  }
  return {
    repoURL,
    path: normaliseRepoPath(fields.string(raw.path, `${path}.path`) ?? ''),
    targetRevision:
      fields.string(raw.targetRevision, `${path}.targetRevision`)?.trim() ||
      DEFAULT_TARGET_REVISION,
    ...(tools.directory ? { directory: tools.directory } : {}),
    ...(tools.helm ? { helm: tools.helm } : {}),
    ...(tools.kustomize ? { kustomize: tools.kustomize } : {}),
  };
}

function readDestination(
  value: unknown,
  context: ArgoMapContext,
  fields: FieldReader,
): ApplicationDestination | undefined {
  const raw = fields.record(value, 'spec.destination');
  if (!raw) {
    fields.fatal.push('spec.destination is missing');
    return undefined;
  }
  fields.unknownKeys(
    raw,
    'spec.destination',
    ['name', 'server', 'namespace'],
    'fatal',
  );
  const name = fields.string(raw.name, 'spec.destination.name');
  const server = fields.string(raw.server, 'spec.destination.server');
  const namespace =
    fields.string(raw.namespace, 'spec.destination.namespace') || undefined;
  const declared = context.clusters.map(c => c.name).join(', ') || 'none';
  if (name && server) {
    fields.fatal.push(
      'spec.destination names both a name and a server; give one of them',
    );
    return undefined;
  }
  if (name) {
    if (context.clusters.some(c => c.name === name)) {
      return { cluster: name, namespace };
    }
    fields.fatal.push(
      `destination cluster "${name}" is not declared in gitops.clusters (declared: ${declared})`,
    );
    return undefined;
  }
  if (server) {
    const wanted = server.replace(/\/+$/, '');
    if (wanted === ARGO_IN_CLUSTER_SERVER) {
      return { cluster: context.inClusterName, namespace };
    }
    const match = context.clusters.find(
      c => c.server?.replace(/\/+$/, '') === wanted,
    );
    if (match) return { cluster: match.name, namespace };
    fields.fatal.push(
      `destination server ${server} is not the API server of any cluster declared in gitops.clusters (declared: ${declared})`,
    );
    return undefined;
  }
  fields.fatal.push('spec.destination needs a name or a server');
  return undefined;
}

function readEntityRefs(
  annotations: Record<string, unknown> | undefined,
  fields: FieldReader,
): string[] {
  const raw = annotations?.[GITOPS_ENTITY_REFS_ANNOTATION];
  if (typeof raw !== 'string') return [];
  const refs: string[] = [];
  for (const part of raw
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)) {
    try {
      refs.push(
        stringifyEntityRef(
          parseEntityRef(part, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        ),
      );
    } catch {
      fields.notes.push(
        `annotation ${GITOPS_ENTITY_REFS_ANNOTATION}: "${part}" is not an entity ref and is ignored`,
      );
    }
  }
  return refs;
}

/** Argo CD's `manifest-generate-paths`, as paths from the repository root. */
function readGeneratePaths(
  annotations: Record<string, unknown> | undefined,
  appPath: string,
  fields: FieldReader,
): string[] | undefined {
  const raw = annotations?.[ARGOCD_MANIFEST_GENERATE_PATHS_ANNOTATION];
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const paths: string[] = [];
  for (const part of raw
    .split(';')
    .map(p => p.trim())
    .filter(Boolean)) {
    const joined = part.startsWith('/')
      ? posix.normalize(part.slice(1) || '.')
      : posix.normalize(posix.join(appPath || '.', part));
    if (joined === '..' || joined.startsWith('../')) {
      fields.notes.push(
        `annotation ${ARGOCD_MANIFEST_GENERATE_PATHS_ANNOTATION}: "${part}" leaves the repository and is ignored`,
      );
      continue;
    }
    paths.push(joined === '.' ? '' : joined.replace(/\/+$/, ''));
  }
  return paths;
}
