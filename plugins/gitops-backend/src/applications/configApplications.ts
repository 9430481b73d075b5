import { Config } from '@backstage/config';
import {
  ApplicationDefinition,
  ApplicationProblem,
  DEFAULT_CLUSTER_NAME,
  DEFAULT_TARGET_REVISION,
  checkApplicationDefinition,
  normaliseRepoPath,
} from '@backstage-gitops/plugin-gitops-common';
import { readGitopsConfig } from '../readGitopsConfig';
import { DefinitionBatch } from './types';
import { syncSettingsOf } from './configSyncSettings';
import { checkEngineSettings } from './checkEngineSettings';

/**
 * Reads the applications declared under `gitops.applications`. A broken entry
 * becomes a problem naming its config path; the others are still served.
 */
export function readConfigApplications(config: Config): DefinitionBatch {
  const { allowHttpRepositories: allowHttp } = readGitopsConfig(config);
  const entries = config.getOptionalConfigArray('gitops.applications') ?? [];
  const applications: ApplicationDefinition[] = [];
  const problems: ApplicationProblem[] = [];

  entries.forEach((entry, index) => {
    const origin = `app-config gitops.applications[${index}]`;
    try {
      const application: ApplicationDefinition = {
        name: entry.getString('name'),
        origin: 'config',
        entityRefs: entry.getOptionalStringArray('entityRefs') ?? [],
        source: {
          repoURL: entry.getString('source.repoURL'),
          path: normaliseRepoPath(entry.getOptionalString('source.path') ?? ''),
          targetRevision:
            entry.getOptionalString('source.targetRevision') ??
            DEFAULT_TARGET_REVISION,
        },
        destination: {
          cluster:
            entry.getOptionalString('destination.cluster') ??
            DEFAULT_CLUSTER_NAME,
          namespace: entry.getOptionalString('destination.namespace'),
        },
        ...syncSettingsOf(entry),
      };
      const problem =
        checkApplicationDefinition(application, { allowHttp }) ??
        checkEngineSettings(application);
      if (problem) problems.push({ origin, message: problem });
      else applications.push(application);
    } catch (error) {
      problems.push({ origin, message: (error as Error).message });
    }
  });
  return { applications, problems };
}
