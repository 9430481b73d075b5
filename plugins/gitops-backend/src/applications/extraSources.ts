import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  checkApplicationDefinition,
  ApplicationDefinition,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsApplicationSource } from '@backstage-gitops/plugin-gitops-node';
import { DefinitionBatch } from './types';

/**
 * One batch per module source. A source that fails, or a definition that
 * does not pass the checks every other source's do, is a problem named after
 * the source: the other applications stay listed.
 */
export async function readExtraSources(
  sources: GitopsApplicationSource[],
  credentials: BackstageCredentials,
  allowHttp: boolean,
): Promise<DefinitionBatch[]> {
  return Promise.all(
    sources.map(async source => {
      const origin = `application source ${source.id}`;
      try {
        const read = await source.readApplications({ credentials });
        const applications: ApplicationDefinition[] = [];
        const problems: DefinitionBatch['problems'] = [];
        for (const application of read) {
          const error = checkApplicationDefinition(application, { allowHttp });
          if (error) problems.push({ origin, message: String(error) });
          else applications.push(application);
        }
        return { applications, problems };
      } catch (error) {
        return {
          applications: [],
          problems: [{ origin, message: String(error) }],
        };
      }
    }),
  );
}
