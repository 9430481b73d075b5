import { isRepositoryError, RepositoryError } from './errors';
import type { RenderRequest, RenderSource } from './RepositoryService';
import { displayUrl } from './sanitise';

export function checkSources(request: RenderRequest): RenderSource[] {
  const sources = request.sources?.length
    ? request.sources
    : request.source && [request.source];
  if (!sources) {
    throw new RepositoryError('InvalidSource', 'the application has no source');
  }
  const refs = new Set<string>();
  for (const source of sources) {
    if (source.chart) {
      throw new RepositoryError(
        'Unsupported',
        `chart "${source.chart}" comes from a Helm repository; only charts in Git are rendered (use path)`,
        { repoUrl: displayUrl(source.repoURL) },
      );
    }
    if (source.ref !== undefined) {
      if (!/^[A-Za-z0-9_-]+$/.test(source.ref) || refs.has(source.ref)) {
        throw new RepositoryError(
          'InvalidSource',
          `ref "${source.ref}" must be a unique name of letters, digits, "-" and "_"`,
          { repoUrl: displayUrl(source.repoURL) },
        );
      }
      refs.add(source.ref);
    }
  }
  return sources;
}

/** The error, saying which of several sources it came from. */
export function inSource(
  error: unknown,
  index: number,
  sources: RenderSource[],
): unknown {
  if (!isRepositoryError(error)) return error;
  return new RepositoryError(
    error.code,
    `source ${index + 1} of ${sources.length}: ${error.detail}`,
    {
      repoUrl: error.repoUrl ?? displayUrl(sources[index].repoURL),
      file: error.file,
    },
  );
}

export function tooManyObjects(count: number, limit: number, more: boolean) {
  return new RepositoryError(
    'TooLarge',
    `renders ${count}${
      more ? ' or more' : ''
    } objects, more than the limit of ${limit} objects per application (gitops.limits.maxApplicationObjects)`,
  );
}
