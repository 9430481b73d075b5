import { LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import { RepositoryError } from './errors';

/** A Kubernetes object as read from Git, before any defaulting. */
export type ManifestObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
};

export interface ParseLimits {
  /** Alias expansions per document; a few aliases are normal, millions a bomb. */
  maxAliasCount: number;
  /** Nesting of maps and lists; real objects, even CRDs, stay far below. */
  maxDepth: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxAliasCount: 100,
  maxDepth: 100,
};

/**
 * Reads the Kubernetes objects in one `.yaml`, `.yml` or `.json` file the way
 * `kubectl apply -f` does: every YAML document is an object, empty documents
 * are skipped, and `List` kinds are replaced by their items. YAML is read
 * as YAML 1.2 with merge keys (`<<`), so `yes`/`on` stay strings.
 *
 * Anything else is an error naming the file and, for YAML, the line: a
 * silently skipped document would make a sync prune what it describes.
 */
export function parseManifestFile(
  file: string,
  text: string,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  format: 'yaml' | 'json' = file.endsWith('.json') ? 'json' : 'yaml',
): ManifestObject[] {
  const content = text.replace(/^\uFEFF/, '');
  if (content.trim() === '') return [];
  const fail = (where: string, problem: string) =>
    new RepositoryError('InvalidManifest', `${file}${where}: ${problem}`, {
      file,
    });

  const values: { value: unknown; where: string }[] = [];
  if (format === 'json') {
    try {
      values.push({ value: JSON.parse(content), where: '' });
    } catch (error) {
      throw fail('', `invalid JSON: ${(error as Error).message}`);
    }
  } else {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(content, { lineCounter, merge: true });
    for (const document of Array.isArray(documents) ? documents : [documents]) {
      // The content's line, not the `---` before it.
      const start = document.contents?.range?.[0] ?? document.range[0];
      const where = ` line ${lineCounter.linePos(start).line}`;
      const [yamlError] = document.errors;
      if (yamlError) {
        const line = yamlError.linePos
          ? ` line ${yamlError.linePos[0].line}`
          : where;
        throw fail(
          line,
          yamlError.code === 'RESOURCE_EXHAUSTION'
            ? 'YAML is nested too deeply'
            : `invalid YAML: ${yamlError.message.split('\n')[0]}`,
        );
      }
      // `---` alone, or only comments: kubectl skips these.
      if (document.contents === null) continue;
      try {
        values.push({
          value: document.toJS({ maxAliasCount: limits.maxAliasCount }),
          where,
        });
      } catch (error) {
        throw fail(
          where,
          /alias/i.test(String(error))
            ? 'too many YAML alias expansions (possible alias bomb)'
            : `invalid YAML: ${(error as Error).message}`,
        );
      }
    }
  }

  return values.flatMap(({ value, where }, index) => {
    const label =
      values.length > 1 ? `${where} (document ${index + 1})` : where;
    return objectsFromValue(file, value, limits, label);
  });
}

/**
 * The Kubernetes objects in one parsed value (a document, or what a tool
 * such as Jsonnet printed), with the rules of parseManifestFile: `null` is
 * nothing, a `List` is its items, anything else must be an object with
 * `apiVersion` and `kind`, nested no deeper than the limit.
 */
export function objectsFromValue(
  file: string,
  value: unknown,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  where = '',
): ManifestObject[] {
  const fail = (problem: string) =>
    new RepositoryError('InvalidManifest', `${file}${where}: ${problem}`, {
      file,
    });
  if (exceedsDepth(value, limits.maxDepth)) {
    throw fail(`nested deeper than ${limits.maxDepth} levels`);
  }
  const objects: ManifestObject[] = [];
  for (const problem of collectObjects(value, objects)) {
    throw fail(problem);
  }
  return objects;
}

/** Adds the object, or a List's items, to `into`; yields what is wrong. */
function* collectObjects(
  value: unknown,
  into: ManifestObject[],
): Generator<string> {
  if (value === null) return;
  if (!isPlainObject(value)) {
    yield `expected a Kubernetes object, found ${
      Array.isArray(value) ? 'a list' : typeof value
    }`;
    return;
  }
  const { apiVersion, kind } = value;
  if (typeof kind === 'string' && kind.endsWith('List') && 'items' in value) {
    // `items: null` is an empty list, as in kubectl and Argo CD.
    if (value.items === null) return;
    if (Array.isArray(value.items)) {
      for (const item of value.items) yield* collectObjects(item, into);
      return;
    }
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    yield `object has no apiVersion${
      typeof kind === 'string' ? ` (kind ${kind})` : ''
    }`;
    return;
  }
  if (typeof kind !== 'string' || kind === '') {
    yield `object has no kind (apiVersion ${apiVersion})`;
    return;
  }
  into.push(value as ManifestObject);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Iterative, because a recursive walk of hostile input is the stack overflow
// this check exists to prevent.
function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * One YAML document of a tool's own configuration (a kustomization, a chart's
 * dependency list), under the same alias limit as manifests. Invalid YAML is
 * an InvalidManifest error naming the file and the parser's first line.
 */
export function parseConfigYaml(text: string, file: string): unknown {
  const document = parseDocument(text, { merge: true });
  try {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS({
      maxAliasCount: DEFAULT_PARSE_LIMITS.maxAliasCount,
    });
  } catch (error) {
    throw new RepositoryError(
      'InvalidManifest',
      `${file}: invalid YAML: ${
        String((error as Error).message).split('\n')[0]
      }`,
      { file },
    );
  }
}
