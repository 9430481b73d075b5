import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  checkRepoPath,
  checkRepoUrl,
  maskUrlCredentials,
  normaliseRepoPath,
} from '@backstage-gitops/plugin-gitops-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { inputFields, parseInput } from './parseInput';
import fs from 'node:fs/promises';
import path from 'node:path';
import { commitToRepository } from '../git/commitToRepository';
import { GitopsActionSettings } from './settings';

const inputs = inputFields({
  repoUrl: z => z.string().describe('http(s) or ssh URL of the repository'),
  branch: z => z.string().min(1).default('main'),
  sourcePath: z =>
    z.string().default('.').describe('Folder of the workspace to push'),
  targetPath: z =>
    z.string().min(1).describe('Folder of the repository to create'),
  commitMessage: z => z.string().optional(),
});

/**
 * `gitops:repository:push`: commits a folder of the workspace into a folder
 * of an existing Git repository and pushes it: a service's manifests and
 * catalog-info.yaml next to the others in a shared GitOps repository, such as
 * the local example Git server. Credentials come from Backstage's
 * integrations. An existing target folder is refused: nothing is overwritten.
 */
export function pushRepositoryAction(deps: { settings: GitopsActionSettings }) {
  return createTemplateAction({
    id: 'gitops:repository:push',
    description:
      'Commits a workspace folder into a folder of an existing Git repository and pushes it',
    supportsDryRun: true,
    schema: {
      input: inputs,
      output: {
        commit: z => z.string().describe('The pushed commit'),
        repoUrl: z => z.string(),
        branch: z => z.string(),
        targetPath: z => z.string(),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputs, ctx.input);
      const { repoUrl, branch } = input;
      const targetPath = normaliseRepoPath(input.targetPath);
      const problem =
        checkRepoUrl(repoUrl, {
          allowHttp: deps.settings.allowHttpRepositories,
        }) ??
        checkRepoPath(targetPath) ??
        (targetPath
          ? undefined
          : 'target path must not be the repository root');
      if (problem) throw new InputError(`Cannot push: ${problem}`);
      if (branch.startsWith('-'))
        throw new InputError('Cannot push: invalid branch');

      const source = resolveSafeChildPath(ctx.workspacePath, input.sourcePath);
      const files = await listFiles(source);
      if (!files.length) {
        throw new InputError(`Cannot push: ${input.sourcePath} has no files`);
      }
      // Outputs and logs are shown to users: never with URL credentials.
      const shownUrl = maskUrlCredentials(repoUrl);
      ctx.output('repoUrl', shownUrl);
      ctx.output('branch', branch);
      ctx.output('targetPath', targetPath);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would push ${
            files.length
          } files to ${shownUrl} (${branch}) under ${targetPath}/: ${files.join(
            ', ',
          )}`,
        );
        ctx.output('commit', 'dry-run');
        return;
      }

      ctx.logger.info(
        `Pushing ${files.length} files to ${shownUrl} (${branch}) under ${targetPath}/`,
      );
      const user = ctx.user?.entity;
      const result = await commitToRepository({
        repoUrl,
        branch,
        credentials: await deps.settings.credentials(repoUrl),
        message:
          input.commitMessage ?? `Add ${targetPath} (Backstage scaffolder)`,
        author: {
          name:
            user?.spec?.profile?.displayName ??
            user?.metadata.name ??
            'Backstage scaffolder',
          email: user?.spec?.profile?.email ?? 'scaffolder@backstage.local',
        },
        write: async checkout => {
          const target = resolveSafeChildPath(checkout, targetPath);
          if (await exists(target)) {
            throw new ConflictError(
              `${targetPath} already exists in ${shownUrl} (${branch}); choose another name`,
            );
          }
          await fs.mkdir(path.dirname(target), { recursive: true });
          await fs.cp(source, target, {
            recursive: true,
            filter: from => path.basename(from) !== '.git',
          });
        },
      });
      ctx.logger.info(`Pushed commit ${result.commit}`);
      ctx.output('commit', result.commit);
    },
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs
    .readdir(dir, { withFileTypes: true })
    .catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      const inner = await listFiles(path.join(dir, entry.name), relative);
      for (const file of inner) files.push(file);
    } else files.push(relative);
  }
  return files.sort();
}
