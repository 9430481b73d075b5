import {
  ApplicationDirectoryOptions,
  ApplicationHelmOptions,
  ApplicationKustomizeOptions,
} from '@backstage-gitops/plugin-gitops-common';
import { FieldReader, isRecord } from './fields';

type Variable = { name: string; value: string; code?: boolean };

// Options the renderer does not implement are refused by name (unknownKeys
// with 'fatal'): rendering without them would deploy something else.

/** Argo CD's `source.directory`. */
export function readDirectory(
  value: unknown,
  path: string,
  fields: FieldReader,
): ApplicationDirectoryOptions | undefined {
  const raw = fields.record(value, path);
  if (!raw) return undefined;
  fields.unknownKeys(
    raw,
    path,
    ['recurse', 'include', 'exclude', 'jsonnet'],
    'fatal',
  );
  const options: ApplicationDirectoryOptions = {};
  const recurse = fields.boolean(raw.recurse, `${path}.recurse`);
  if (recurse !== undefined) options.recurse = recurse;
  for (const key of ['include', 'exclude'] as const) {
    const glob = fields.string(raw[key], `${path}.${key}`);
    if (glob) options[key] = glob;
  }
  const jsonnet = fields.record(raw.jsonnet, `${path}.jsonnet`);
  if (jsonnet) {
    fields.unknownKeys(
      jsonnet,
      `${path}.jsonnet`,
      ['extVars', 'tlas', 'libs'],
      'fatal',
    );
    options.jsonnet = {
      extVars: readVariables(
        jsonnet.extVars,
        `${path}.jsonnet.extVars`,
        fields,
      ),
      tlas: readVariables(jsonnet.tlas, `${path}.jsonnet.tlas`, fields),
      libs: fields.strings(jsonnet.libs, `${path}.jsonnet.libs`),
    };
  }
  return options;
}

function readVariables(value: unknown, path: string, fields: FieldReader) {
  const items = fields.array(value, path);
  if (!items) return undefined;
  return items.flatMap((item, i): Variable[] => {
    const raw = fields.record(item, `${path}[${i}]`);
    const name = fields.string(raw?.name, `${path}[${i}].name`);
    const text = fields.string(raw?.value, `${path}[${i}].value`);
    if (!name || text === undefined) {
      fields.fatal.push(`${path}[${i}] needs a name and a value`);
      return [];
    }
    const code = fields.boolean(raw?.code, `${path}[${i}].code`);
    return [{ name, value: text, ...(code !== undefined ? { code } : {}) }];
  });
}

/** Argo CD's `source.helm`. */
export function readHelm(
  value: unknown,
  path: string,
  fields: FieldReader,
): ApplicationHelmOptions | undefined {
  const raw = fields.record(value, path);
  if (!raw) return undefined;
  fields.unknownKeys(
    raw,
    path,
    [
      'valueFiles',
      'ignoreMissingValueFiles',
      'values',
      'valuesObject',
      'parameters',
      'releaseName',
      'skipCrds',
    ],
    'fatal',
  );
  const options: ApplicationHelmOptions = {};
  const valueFiles = fields.strings(raw.valueFiles, `${path}.valueFiles`);
  if (valueFiles) options.valueFiles = valueFiles;
  for (const key of ['ignoreMissingValueFiles', 'skipCrds'] as const) {
    const flag = fields.boolean(raw[key], `${path}.${key}`);
    if (flag !== undefined) options[key] = flag;
  }
  for (const key of ['values', 'releaseName'] as const) {
    const text = fields.string(raw[key], `${path}.${key}`);
    if (text !== undefined) options[key] = text;
  }
  if (raw.valuesObject !== undefined) {
    if (isRecord(raw.valuesObject)) options.valuesObject = raw.valuesObject;
    else fields.fatal.push(`${path}.valuesObject must be an object`);
  }
  const parameters = fields.array(raw.parameters, `${path}.parameters`);
  if (parameters) {
    options.parameters = parameters.flatMap((item, i) => {
      const at = `${path}.parameters[${i}]`;
      const entry = fields.record(item, at);
      const name = fields.string(entry?.name, `${at}.name`);
      // Argo CD writes numbers and booleans unquoted here too.
      const given = entry?.value;
      const text =
        typeof given === 'number' || typeof given === 'boolean'
          ? String(given)
          : fields.string(given, `${at}.value`);
      if (!name || text === undefined) {
        fields.fatal.push(`${at} needs a name and a value`);
        return [];
      }
      const forceString = fields.boolean(
        entry?.forceString,
        `${at}.forceString`,
      );
      return [{ name, value: text, ...(forceString ? { forceString } : {}) }];
    });
  }
  return options;
}

/** Argo CD's `source.kustomize`. */
export function readKustomize(
  value: unknown,
  path: string,
  fields: FieldReader,
): ApplicationKustomizeOptions | undefined {
  const raw = fields.record(value, path);
  if (!raw) return undefined;
  fields.unknownKeys(
    raw,
    path,
    [
      'namePrefix',
      'nameSuffix',
      'images',
      'commonLabels',
      'commonAnnotations',
      'namespace',
    ],
    'fatal',
  );
  const options: ApplicationKustomizeOptions = {};
  for (const key of ['namePrefix', 'nameSuffix', 'namespace'] as const) {
    const text = fields.string(raw[key], `${path}.${key}`);
    if (text !== undefined) options[key] = text;
  }
  const images = fields.strings(raw.images, `${path}.images`);
  if (images) options.images = images;
  for (const key of ['commonLabels', 'commonAnnotations'] as const) {
    const map = fields.record(raw[key], `${path}.${key}`);
    if (!map) continue;
    if (Object.values(map).some(v => typeof v !== 'string')) {
      fields.fatal.push(`${path}.${key} must map names to strings`);
    } else {
      options[key] = map as Record<string, string>;
    }
  }
  return options;
}
