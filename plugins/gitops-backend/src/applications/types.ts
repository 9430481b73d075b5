import {
  ApplicationDefinition,
  ApplicationProblem,
} from '@backstage-gitops/plugin-gitops-common';

/** Definitions read from one source, with the entries it could not read. */
export type DefinitionBatch = {
  applications: ApplicationDefinition[];
  problems: ApplicationProblem[];
};
