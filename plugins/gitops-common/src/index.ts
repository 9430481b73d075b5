/**
 * Types, annotation keys and permissions shared by the GitOps plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './types';
export * from './permissions';
export * from './entityApplication';
export * from './repoUrl';
export * from './applicationDefinition';
export * from './syncSettings';
export * from './appProject';
export * from './evaluateProject';
export * from './applicationValidation';
export * from './kubernetesNames';
