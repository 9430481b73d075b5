import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  checkRepoPath,
  checkRepoUrl,
  maskUrlCredentials,
} from '@backstage-gitops/plugin-gitops-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { commitToRepository } from '../git/commitToRepository';
import { GitopsActionSettings } from './settings';

/** A file in a Git repository: where an Argo CD Application is committed. */
export type GitLocation = { repoUrl: string; branch: string; file: string };

/**
 * Commits an Application YAML as a new file of a Git location (an Argo CD
 * "app of apps" folder, say). An existing file is refused: nothing is
 * overwritten. Returns the pushed commit.
 */
export async function commitApplicationFile(options: {
  settings: GitopsActionSettings;
  location: GitLocation;
  name: string;
  yaml: string;
  author: { name: string; email: string };
}): Promise<string> {
  const { repoUrl, branch, file } = options.location;
  const problem =
    checkRepoUrl(repoUrl, {
      allowHttp: options.settings.allowHttpRepositories,
    }) ??
    checkRepoPath(file) ??
    (branch.startsWith('-') ? `invalid branch "${branch}"` : undefined);
  if (problem) throw new InputError(`Cannot commit: ${problem}`);
  const result = await commitToRepository({
    repoUrl,
    branch,
    credentials: await options.settings.credentials(repoUrl),
    message: `Add Argo CD application ${options.name}`,
    author: options.author,
    write: async checkout => {
      const target = resolveSafeChildPath(checkout, file);
      const exists = await fs.access(target).then(
        () => true,
        () => false,
      );
      if (exists) {
        throw new ConflictError(
          `${file} already exists in ${maskUrlCredentials(
            repoUrl,
          )} (${branch})`,
        );
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, options.yaml);
    },
  });
  return result.commit;
}
