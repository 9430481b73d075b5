import { ApplicationDefinition } from './types';

/**
 * What `POST /applications/validate` is asked about: an application that is
 * about to be written (by a template, for instance) and does not exist yet.
 *
 * @public
 */
export type ApplicationValidationRequest = Pick<
  ApplicationDefinition,
  'name' | 'project' | 'source' | 'destination' | 'syncPolicy'
>;

/**
 * Which check a would-be application fails: the shared definition check
 * (name, repository URL, path, sync settings), an undeclared destination
 * cluster, its AppProject's rules, or a name another application has.
 *
 * @public
 */
export type ApplicationValidationProblemKind =
  | 'definition'
  | 'cluster'
  | 'project'
  | 'nameTaken';

/** @public One reason the backend would refuse or shadow the application. */
export type ApplicationValidationProblem = {
  kind: ApplicationValidationProblemKind;
  message: string;
};

/** @public The answer of `POST /applications/validate`; empty: acceptable. */
export type ApplicationValidationResponse = {
  problems: ApplicationValidationProblem[];
};
