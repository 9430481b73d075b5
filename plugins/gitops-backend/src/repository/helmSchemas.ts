import { readdir, readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { RepositoryError } from './errors';
import { Workspace } from './workspace';

const SCHEMA_FILE = 'values.schema.json';
// What a packaged subchart may grow to once unzipped; charts are small.
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024;
const MAX_NESTING = 5;
const REF_KEYS = new Set(['$ref', '$dynamicRef', '$recursiveRef']);
// The drafts Helm's JSON Schema library knows without loading anything.
const KNOWN_META_SCHEMA = /^https?:\/\/json-schema\.org\/[\w./-]*#?$/;

/**
 * Refuses JSON Schemas that would make Helm read something.
 *
 * Helm validates values against each chart's `values.schema.json`, and its
 * JSON Schema library loads whatever a `$ref` or `$schema` names: a local
 * file (`file:///etc/…`, `/etc/…`, `../../…`) or a URL; a failure even
 * quotes the file's first byte. Nothing in helm turns that off short of
 * skipping validation. So every schema Helm would read, in the chart's
 * folder and inside packaged subcharts (`charts/*.tgz`, nested ones too),
 * may only refer within itself (`#…`) and name a standard draft.
 */
export async function checkHelmSchemas(
  workspace: Workspace,
  chartPath: string,
): Promise<void> {
  for (const file of await listFiles(workspace, chartPath)) {
    const name = posix.basename(file);
    if (name === SCHEMA_FILE) {
      checkSchema(file, await readFile(workspace.abs(file), 'utf8'));
    } else if (name.endsWith('.tgz') && `/${file}`.includes('/charts/')) {
      checkArchive(file, await readFile(workspace.abs(file)), 0);
    }
  }
}

async function listFiles(workspace: Workspace, dir: string): Promise<string[]> {
  const files: string[] = [];
  const entries = await readdir(workspace.abs(dir), { withFileTypes: true });
  for (const entry of entries) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const file of await listFiles(workspace, path)) files.push(file);
    } else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Throws naming the file when the schema refers outside itself. */
export function checkSchema(file: string, text: string): void {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    return; // Helm reports a schema it cannot parse; it loads nothing for it.
  }
  const refuse = (key: string, value: unknown) =>
    new RepositoryError(
      'PathEscape',
      `${file}: "${key}": ${JSON.stringify(
        value,
      )} would make Helm load a file or URL; a chart's schema may only refer within itself ("#…")`,
      { file: file.split('!')[0] },
    );
  const stack: unknown[] = [schema];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, value] of Object.entries(node)) {
      if (REF_KEYS.has(key) && typeof value === 'string') {
        if (!value.startsWith('#')) throw refuse(key, value);
      } else if (key === '$schema' && typeof value === 'string') {
        if (!KNOWN_META_SCHEMA.test(value)) throw refuse(key, value);
      } else if ((key === '$id' || key === 'id') && typeof value === 'string') {
        if (/^(file:|\/)/i.test(value)) throw refuse(key, value);
      }
      if (typeof value === 'object' && value !== null) stack.push(value);
    }
  }
}

/** Checks the schemas inside a packaged chart (a gzipped tar). */
function checkArchive(file: string, gzipped: Buffer, depth: number): void {
  let tar: Buffer;
  try {
    tar = gunzipSync(gzipped, { maxOutputLength: MAX_ARCHIVE_BYTES });
  } catch {
    throw new RepositoryError(
      'InvalidManifest',
      `${
        file.split('!')[0]
      }: packaged chart cannot be read or is larger than ${MAX_ARCHIVE_BYTES} bytes unpacked`,
      { file: file.split('!')[0] },
    );
  }
  for (const { name, content } of tarEntries(tar)) {
    const inner = `${file}!${name}`;
    if (posix.basename(name) === SCHEMA_FILE) {
      checkSchema(inner, content.toString('utf8'));
    } else if (name.endsWith('.tgz') && depth < MAX_NESTING) {
      checkArchive(inner, content, depth + 1);
    } else if (name.endsWith('.tgz')) {
      throw new RepositoryError(
        'Unsupported',
        `${inner}: packaged charts nested more than ${MAX_NESTING} deep`,
        { file: file.split('!')[0] },
      );
    }
  }
}

/**
 * The regular files of a tar archive, with their full names from ustar
 * prefixes, GNU long names or PAX `path` records (Go's archive/tar, which
 * helm packages with, writes the latter for long names).
 */
export function* tarEntries(
  tar: Buffer,
): Generator<{ name: string; content: Buffer }> {
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every(byte => byte === 0)) return;
    const field = (start: number, length: number) =>
      header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const content = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = content.toString('utf8').replace(/\0.*$/s, '');
    } else if (type === 'x') {
      longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(
        content.toString('utf8'),
      )?.[1];
    } else {
      const prefix = field(345, 155);
      const name =
        longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
      longName = undefined;
      if (type === '0' || type === '7') yield { name, content };
    }
  }
}
