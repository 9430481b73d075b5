/**
 * A Kubernetes object as plain JSON, the way a renderer or the API server
 * hands it over. Only the fields every decision needs are typed; everything
 * else stays `unknown` so nothing reads a field it has not checked.
 */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: ManifestMetadata;
  [field: string]: unknown;
};

export type ManifestMetadata = {
  /**
   * Empty when only `generateName` is set (hooks); such an object needs a name
   * from {@link withGeneratedName} before it can be keyed or tracked.
   */
  name: string;
  generateName?: string;
  namespace?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  [field: string]: unknown;
};

export type GroupVersion = { group: string; version: string };

// The API server accepts at most one slash: `v1` (core) or `<group>/<version>`.
const API_VERSION_PATTERN = /^(?:([^/\s]+)\/)?([^/\s]+)$/;

/** `apps/v1` → apps + v1; `v1` → the core group, which is the empty string. */
export function parseApiVersion(apiVersion: string): GroupVersion | undefined {
  const match = API_VERSION_PATTERN.exec(apiVersion);
  if (!match) {
    return undefined;
  }
  return { group: match[1] ?? '', version: match[2] };
}

/** The API group of an object; the core group is the empty string. */
export function groupOf(obj: Manifest): string {
  return parseApiVersion(obj.apiVersion)?.group ?? '';
}

/**
 * The identity of a resource across renders and the cluster: the version is
 * left out because the same object is served under several versions.
 */
export function resourceKey(obj: Manifest): string {
  const { name, namespace } = obj.metadata;
  return `${groupOf(obj)}/${obj.kind}/${namespace ?? ''}/${name}`;
}

/** How errors and events name an object: `Deployment/shop/cart`. */
export function describeObject(obj: Manifest): string {
  const { name, generateName, namespace } = obj.metadata;
  const shownName = name || `${generateName ?? ''}*`;
  return namespace
    ? `${obj.kind}/${namespace}/${shownName}`
    : `${obj.kind}/${shownName}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    isRecord(value) && Object.values(value).every(v => typeof v === 'string')
  );
}

/**
 * Whether parsed YAML or JSON has the shape of a Kubernetes object. Labels and
 * annotations must be string maps: the API server refuses anything else, and
 * every annotation parser here relies on it.
 */
export function isManifest(value: unknown): value is Manifest {
  if (!isRecord(value) || !isRecord(value.metadata)) {
    return false;
  }
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== 'string' || !parseApiVersion(apiVersion)) {
    return false;
  }
  if (typeof kind !== 'string' || kind === '') {
    return false;
  }
  const { name, generateName, namespace, annotations, labels } = metadata;
  if (typeof name !== 'string') {
    return false;
  }
  if (name === '' && (typeof generateName !== 'string' || !generateName)) {
    return false;
  }
  return (
    (generateName === undefined || typeof generateName === 'string') &&
    (namespace === undefined || typeof namespace === 'string') &&
    (annotations === undefined || isStringMap(annotations)) &&
    (labels === undefined || isStringMap(labels))
  );
}

/**
 * A hook written with only `metadata.generateName` (no `name` at all, as
 * Argo CD's examples write it) in the form every decision here expects:
 * `name: ''` until a sync names it. Anything else is returned as it is.
 */
export function withEmptyName<T>(value: T): T {
  if (!isRecord(value) || !isRecord(value.metadata)) return value;
  const { metadata } = value;
  if (
    metadata.name !== undefined ||
    typeof metadata.generateName !== 'string'
  ) {
    return value;
  }
  return { ...value, metadata: { ...metadata, name: '' } };
}

/** The value of one annotation, or undefined when the object does not carry it. */
export function annotation(obj: Manifest, key: string): string | undefined {
  return obj.metadata.annotations?.[key];
}

/**
 * Names a `generateName`-only hook the way Argo CD does,
 * `<generateName><revision, 7 characters>-<phase>-<start, Unix seconds>` in
 * lower case: the same at every step and retry of one operation, so a
 * resumed step finds the object it created, and new in the next operation.
 */
export function withGeneratedName(
  obj: Manifest,
  revision: string | undefined,
  phase: string,
  startedAt: Date,
): Manifest {
  if (obj.metadata.name || !obj.metadata.generateName) {
    return obj;
  }
  const suffix = [
    revision?.slice(0, 7),
    phase,
    Math.floor(startedAt.getTime() / 1000),
  ]
    .filter(part => part !== undefined && part !== '')
    .join('-')
    .toLowerCase();
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      name: `${obj.metadata.generateName}${suffix}`,
    },
  };
}
