/**
 * The repository service: Git mirrors, reading a commit's files safely, and
 * rendering them into manifests. See README.md for the user-facing rules.
 */
export { createGitMirrors } from './gitMirrors';
export { createIntegrationCredentials } from './integrationCredentials';
export type {
  CommitDescription,
  GitMirrors,
  GitMirrorsOptions,
} from './gitMirrors';
export type { CredentialsProvider, RepoCredentials } from './gitCredentials';
export { createRepositoryService } from './RepositoryService';
export type {
  RenderRequest,
  RenderResult,
  RenderSource,
  RepositoryService,
  RepositoryServiceOptions,
} from './RepositoryService';
export { RepositoryError, isRepositoryError } from './errors';
export type { RepositoryErrorCode, RepositoryErrorDetails } from './errors';
export { renderDirectory } from './renderDirectory';
export type { RenderedManifest } from './renderDirectory';
export type { ManifestObject, ParseLimits } from './parseManifests';
export type { DirectoryOptions } from './selectFiles';
export type { ReadTreeLimits, TreeSnapshot } from './readTree';
export { detectTool } from './detectTool';
export type { SourceTool } from './detectTool';
export type { ToolLimits, ToolName, ToolPaths } from './runTool';
export type {
  DirectorySourceOptions,
  HelmOptions,
  HelmParameter,
  JsonnetOptions,
  JsonnetVariable,
  KustomizeOptions,
} from './sourceOptions';
