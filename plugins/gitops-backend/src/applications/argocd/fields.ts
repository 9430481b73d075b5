/**
 * Typed reads of Argo CD YAML that record what is wrong instead of guessing.
 * `fatal` problems refuse the object; `notes` are fields we accept but do not
 * act on, reported so that nothing is ignored silently.
 */
export class FieldReader {
  readonly fatal: string[] = [];
  readonly notes: string[] = [];

  record(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (isRecord(value)) return value;
    this.fatal.push(`${path} must be an object`);
    return undefined;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.fatal.push(`${path} must be a string`);
    return undefined;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.fatal.push(`${path} must be true or false`);
    return undefined;
  }

  number(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.fatal.push(`${path} must be a number`);
    return undefined;
  }

  array(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    this.fatal.push(`${path} must be a list`);
    return undefined;
  }

  strings(value: unknown, path: string): string[] | undefined {
    const items = this.array(value, path);
    if (!items) return undefined;
    const strings = items.filter((v): v is string => typeof v === 'string');
    if (strings.length !== items.length) {
      this.fatal.push(`${path} must be a list of strings`);
      return undefined;
    }
    return strings;
  }

  /** Keys we do not know: refused when they change what is deployed. */
  unknownKeys(
    object: Record<string, unknown>,
    path: string,
    known: readonly string[],
    severity: 'fatal' | 'note',
  ) {
    for (const key of Object.keys(object)) {
      if (known.includes(key)) continue;
      if (severity === 'fatal') {
        this.fatal.push(`${path}.${key} is not supported`);
      } else {
        this.notes.push(`${path}.${key} is not supported and is ignored`);
      }
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Kind/namespace/name` of an Argo CD object, for messages. */
export function describeArgoObject(object: unknown): string {
  const metadata =
    isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  const kind =
    isRecord(object) && typeof object.kind === 'string'
      ? object.kind
      : 'object';
  const name = typeof metadata.name === 'string' ? metadata.name : '(no name)';
  return typeof metadata.namespace === 'string'
    ? `${kind}/${metadata.namespace}/${name}`
    : `${kind}/${name}`;
}
