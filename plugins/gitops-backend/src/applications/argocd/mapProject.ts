import { checkSyncWindow } from '../../projects/syncWindows';
import {
  AppProject,
  GroupKind,
  ProjectDestination,
  SyncWindow,
} from '@backstage-gitops/plugin-gitops-common';
import { FieldReader, isRecord } from './fields';
import { ARGO_API_VERSION } from './mapApplication';

export type ArgoProjectResult = { project?: AppProject; problems: string[] };

const SPEC_KEYS = [
  'sourceRepos',
  'destinations',
  'clusterResourceWhitelist',
  'clusterResourceBlacklist',
  'namespaceResourceWhitelist',
  'namespaceResourceBlacklist',
  'syncWindows',
  'description',
];

/**
 * Maps `argoproj.io/v1alpha1` `AppProject` YAML onto the rules we enforce.
 * A rule we cannot read refuses the whole project: applications in a
 * project that does not exist cannot sync, which fails closed.
 */
export function projectFromArgo(object: unknown): ArgoProjectResult {
  const fields = new FieldReader();
  if (!isRecord(object) || object.kind !== 'AppProject') {
    return { problems: ['not an Argo CD AppProject'] };
  }
  if (object.apiVersion !== ARGO_API_VERSION) {
    return {
      problems: [
        `apiVersion ${String(object.apiVersion)} is not ${ARGO_API_VERSION}`,
      ],
    };
  }
  const metadata = fields.record(object.metadata, 'metadata') ?? {};
  const name = fields.string(metadata.name, 'metadata.name');
  const spec = fields.record(object.spec, 'spec') ?? {};
  if (!name) return { problems: ['metadata.name is missing'] };
  // Unknown keys may be restrictions (roles, signature keys): refused, so
  // that a rule we do not enforce is never taken as enforced.
  fields.unknownKeys(spec, 'spec', SPEC_KEYS, 'fatal');

  const project: AppProject = {
    name,
    sourceRepos: fields.strings(spec.sourceRepos, 'spec.sourceRepos') ?? [],
    destinations: readDestinations(spec.destinations, fields),
    clusterResourceWhitelist: readGroupKinds(
      spec,
      'clusterResourceWhitelist',
      fields,
    ),
    clusterResourceBlacklist: readGroupKinds(
      spec,
      'clusterResourceBlacklist',
      fields,
    ),
    namespaceResourceWhitelist: readGroupKinds(
      spec,
      'namespaceResourceWhitelist',
      fields,
    ),
    namespaceResourceBlacklist: readGroupKinds(
      spec,
      'namespaceResourceBlacklist',
      fields,
    ),
    syncWindows: readSyncWindows(spec.syncWindows, fields),
  };
  if (fields.fatal.length)
    return { problems: [...fields.fatal, ...fields.notes] };
  return { project, problems: fields.notes };
}

function readDestinations(
  value: unknown,
  fields: FieldReader,
): ProjectDestination[] {
  return (fields.array(value, 'spec.destinations') ?? []).flatMap((item, i) => {
    const path = `spec.destinations[${i}]`;
    const raw = fields.record(item, path);
    if (!raw) return [];
    fields.unknownKeys(raw, path, ['server', 'name', 'namespace'], 'fatal');
    const destination: ProjectDestination = {};
    for (const key of ['server', 'name', 'namespace'] as const) {
      const text = fields.string(raw[key], `${path}.${key}`);
      if (text !== undefined) destination[key] = text;
    }
    if (destination.server === undefined && destination.name === undefined) {
      fields.fatal.push(`${path} needs a server or a name`);
    }
    return [destination];
  });
}

function readGroupKinds(
  spec: Record<string, unknown>,
  key: string,
  fields: FieldReader,
): GroupKind[] | undefined {
  const items = fields.array(spec[key], `spec.${key}`);
  if (!items) return undefined;
  return items.flatMap((item, i) => {
    const path = `spec.${key}[${i}]`;
    const raw = fields.record(item, path);
    if (!raw) return [];
    const kind = fields.string(raw.kind, `${path}.kind`);
    if (!kind) {
      fields.fatal.push(`${path}.kind is missing`);
      return [];
    }
    return [{ group: fields.string(raw.group, `${path}.group`) ?? '', kind }];
  });
}

function readSyncWindows(value: unknown, fields: FieldReader): SyncWindow[] {
  return (fields.array(value, 'spec.syncWindows') ?? []).flatMap((item, i) => {
    const path = `spec.syncWindows[${i}]`;
    const raw = fields.record(item, path);
    if (!raw) return [];
    fields.unknownKeys(
      raw,
      path,
      [
        'kind',
        'schedule',
        'duration',
        'applications',
        'namespaces',
        'clusters',
        'manualSync',
        'timeZone',
      ],
      'fatal',
    );
    const kind = fields.string(raw.kind, `${path}.kind`);
    const schedule = fields.string(raw.schedule, `${path}.schedule`);
    const duration = fields.string(raw.duration, `${path}.duration`);
    if (kind !== 'allow' && kind !== 'deny') {
      fields.fatal.push(`${path}.kind must be allow or deny`);
      return [];
    }
    if (!schedule || !duration) {
      fields.fatal.push(`${path} needs a schedule and a duration`);
      return [];
    }
    const window: SyncWindow = {
      kind,
      schedule,
      duration,
      applications: fields.strings(raw.applications, `${path}.applications`),
      namespaces: fields.strings(raw.namespaces, `${path}.namespaces`),
      clusters: fields.strings(raw.clusters, `${path}.clusters`),
      manualSync: fields.boolean(raw.manualSync, `${path}.manualSync`),
      timeZone: fields.string(raw.timeZone, `${path}.timeZone`),
    };
    const problem = checkSyncWindow(window);
    if (problem) fields.fatal.push(`${path}: ${problem}`);
    return [window];
  });
}
