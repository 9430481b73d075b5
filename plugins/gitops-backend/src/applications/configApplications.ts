import { Config } from '@backstage/config';
import {
  ApplicationDefinition,
  ApplicationProblem,
  DEFAULT_CLUSTER_NAME,
  DEFAULT_TARGET_REVISION,
  checkApplicationDefinition,
  normaliseRepoPath,
} from '@internal/backstage-plugin-gitops-common';
import { readGitopsConfig } from '../readGitopsConfig';
import { DefinitionBatch } from './types';

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
        ...(entry.has('syncPolicy.automated')
          ? {
              syncPolicy: {
                automated: {
                  prune:
                    entry.getOptionalBoolean('syncPolicy.automated.prune') ??
                    false,
                  selfHeal:
                    entry.getOptionalBoolean('syncPolicy.automated.selfHeal') ??
                    false,
                  allowEmpty:
                    entry.getOptionalBoolean(
                      'syncPolicy.automated.allowEmpty',
                    ) ?? false,
                },
              },
            }
          : {}),
        ...(entry.has('ignoreDifferences')
          ? { ignoreDifferences: readIgnoreDifferences(entry) }
          : {}),
      };
      const problem = checkApplicationDefinition(application, { allowHttp });
      if (problem) problems.push({ origin, message: problem });
      else applications.push(application);
    } catch (error) {
      problems.push({ origin, message: (error as Error).message });
    }
  });
  return { applications, problems };
}

function readIgnoreDifferences(
  entry: Config,
): NonNullable<ApplicationDefinition['ignoreDifferences']> {
  return entry.getConfigArray('ignoreDifferences').map(rule => {
    const optional = (key: string) => {
      const value = rule.getOptionalString(key);
      return value === undefined ? {} : { [key]: value };
    };
    const list = (key: string) => {
      const value = rule.getOptionalStringArray(key);
      return value === undefined ? {} : { [key]: value };
    };
    return {
      kind: rule.getString('kind'),
      ...optional('group'),
      ...optional('name'),
      ...optional('namespace'),
      ...list('jsonPointers'),
      ...list('jqPathExpressions'),
      ...list('managedFieldsManagers'),
    };
  });
}
