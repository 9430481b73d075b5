/**
 * Why the repository service could not produce manifests. Routers map codes
 * to HTTP statuses; the UI shows `message` as is, so it never holds secrets.
 *
 * @public
 */
export type RepositoryErrorCode =
  | 'InvalidUrl'
  | 'InvalidPath'
  | 'InvalidRevision'
  | 'Auth'
  | 'NotFound'
  | 'Timeout'
  | 'GitFailed'
  | 'PathEscape'
  | 'TooLarge'
  | 'InvalidManifest'
  | 'InvalidSource'
  | 'Unsupported'
  | 'ToolMissing'
  | 'ToolFailed';

/** @public */
export interface RepositoryErrorDetails {
  repoUrl?: string;
  /** Repository-relative file the problem was found in. */
  file?: string;
  appName?: string;
}

/**
 * The one error type of the repository service. It deliberately carries no
 * `cause`: git's own errors may hold headers or URLs with credentials, so
 * only their sanitised text is kept, inside `message`.
 *
 * @public
 */
export class RepositoryError extends Error {
  readonly code: RepositoryErrorCode;
  readonly repoUrl?: string;
  readonly file?: string;
  readonly appName?: string;
  /** The message without the application prefix. */
  readonly detail: string;

  constructor(
    code: RepositoryErrorCode,
    detail: string,
    details: RepositoryErrorDetails = {},
  ) {
    super(
      details.appName ? `application "${details.appName}": ${detail}` : detail,
    );
    this.name = 'RepositoryError';
    this.code = code;
    this.detail = detail;
    this.repoUrl = details.repoUrl;
    this.file = details.file;
    this.appName = details.appName;
  }

  /** The same error, attributed to an application. */
  forApp(appName: string): RepositoryError {
    return new RepositoryError(this.code, this.detail, {
      repoUrl: this.repoUrl,
      file: this.file,
      appName,
    });
  }
}

/** @public */
export function isRepositoryError(
  error: unknown,
  code?: RepositoryErrorCode,
): error is RepositoryError {
  return (
    error instanceof RepositoryError &&
    (code === undefined || error.code === code)
  );
}
