import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { RepositoryError } from './errors';
import {
  DEFAULT_PARSE_LIMITS,
  ManifestObject,
  ParseLimits,
  parseManifestFile,
} from './parseManifests';
import { DirectoryOptions, selectFiles } from './selectFiles';

/** @public One object from Git, with the file it came from. */
export interface RenderedManifest {
  /** Repository-relative path of the file. */
  file: string;
  manifest: ManifestObject;
}

export interface RenderDirectoryRequest {
  /** The directory holding the files at their repository paths. */
  rootDir: string;
  /** The application's path inside it; `''` for the repository root. */
  appPath: string;
  directory?: DirectoryOptions;
  limits?: ParseLimits;
  /** Evaluates a `.jsonnet` file; without it, they are refused. */
  jsonnet?: (file: string) => Promise<ManifestObject[]>;
}

/**
 * Renders a directory source as Argo CD does: every selected `.yaml`, `.yml`
 * and `.json` file, in walk order, each document an object, and each
 * `.jsonnet` file's output.
 */
export async function renderDirectory(
  request: RenderDirectoryRequest,
): Promise<RenderedManifest[]> {
  const appDir = join(request.rootDir, request.appPath);
  const manifests: RenderedManifest[] = [];
  for (const relPath of await selectFiles(appDir, request.directory)) {
    const file = posix.join(request.appPath, relPath);
    if (file.endsWith('.jsonnet') && request.jsonnet) {
      for (const manifest of await request.jsonnet(file)) {
        manifests.push({ file, manifest });
      }
      continue;
    }
    if (file.endsWith('.jsonnet')) {
      throw new RepositoryError(
        'Unsupported',
        `${file}: Jsonnet is not supported yet`,
        {
          file,
        },
      );
    }
    const text = await readFile(join(appDir, relPath), 'utf8');
    for (const manifest of parseManifestFile(
      file,
      text,
      request.limits ?? DEFAULT_PARSE_LIMITS,
    )) {
      manifests.push({ file, manifest });
    }
  }
  return manifests;
}
