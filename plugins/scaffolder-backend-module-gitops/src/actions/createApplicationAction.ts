import { maskUrlCredentials } from '@backstage-gitops/plugin-gitops-common';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { inputFields, parseInput } from './parseInput';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GitopsApiFactory } from '../client/GitopsApiClient';
import {
  ApplicationRequest,
  applicationFields,
} from '../definition/applicationRequest';
import {
  DEFAULT_ARGOCD_NAMESPACE,
  argoApplication,
  argoApplicationYaml,
} from '../definition/argoApplication';
import {
  annotateCatalogInfo,
  argoLinkAnnotations,
  gitopsAnnotations,
} from '../definition/catalogAnnotations';
import { commitApplicationFile } from './commitApplicationFile';
import { GitopsActionSettings, gitopsTabPath, gitopsTabUrl } from './settings';
import { validateRequest } from './validateRequest';

const inputs = inputFields({
  ...applicationFields,
  definition: z =>
    z
      .enum(['catalog', 'argocd'])
      .default('catalog')
      .describe(
        'catalog: annotations in catalog-info.yaml; argocd: an Argo CD Application YAML file',
      ),
  catalogInfoPath: z =>
    z
      .string()
      .default('catalog-info.yaml')
      .describe('catalog-info.yaml in the workspace'),
  entityName: z =>
    z
      .string()
      .optional()
      .describe('Entity to annotate when catalog-info.yaml has several'),
  applicationFile: z =>
    z
      .string()
      .optional()
      .describe(
        'Where the Application YAML goes in the workspace (argocd); default argocd/<name>.yaml',
      ),
  gitLocation: z =>
    z
      .object({
        repoUrl: z.string().describe('The repository of Argo CD Applications'),
        branch: z.string().min(1).default('main'),
        file: z.string().min(1).describe('Path of the new YAML file'),
      })
      .optional()
      .describe(
        'argocd: also commit the Application there (an Argo CD Git location)',
      ),
  argocdNamespace: z =>
    z
      .string()
      .default(DEFAULT_ARGOCD_NAMESPACE)
      .describe('metadata.namespace of the Application (argocd)'),
});

/**
 * `gitops:application:create`: checks the application with the reconciler
 * (name free, project allows repository and destination) and writes its
 * definition into the workspace, either as the gitops annotations of the
 * component's catalog-info.yaml or as an Argo CD Application YAML file. The
 * definition reaches the reconciler when the workspace is published and the
 * component registered; `gitops:application:sync` waits for that.
 */
export function createApplicationAction(deps: {
  api: GitopsApiFactory;
  settings: GitopsActionSettings;
}) {
  return createTemplateAction({
    id: 'gitops:application:create',
    description:
      'Writes a GitOps application definition (catalog annotations or an Argo CD Application) after checking its name and project with the reconciler',
    supportsDryRun: true,
    examples: [
      {
        description: 'Annotate the new component so the reconciler deploys it',
        example: [
          'steps:',
          '  - id: gitops',
          '    action: gitops:application:create',
          '    input:',
          '      name: cart',
          '      repoUrl: https://git.example.com/apps.git',
          '      path: services/cart',
          '      destination: { cluster: in-cluster, namespace: cart }',
        ].join('\n'),
      },
    ],
    schema: {
      input: inputs,
      output: {
        id: z => z.string().describe('The application name'),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe('The entity the application belongs to'),
        gitopsPath: z =>
          z
            .string()
            .optional()
            .describe(
              "The GitOps tab's path inside the app, for the template's output links",
            ),
        gitopsUrl: z =>
          z.string().optional().describe("Link to the entity's GitOps tab"),
        commit: z =>
          z
            .string()
            .optional()
            .describe('The commit that added the Application to gitLocation'),
        definitionFile: z =>
          z.string().describe('The workspace file that holds the definition'),
      },
    },
    async handler(ctx) {
      const input = parseInput(inputs, ctx.input);
      const request: ApplicationRequest = {
        name: input.name,
        repoUrl: input.repoUrl,
        path: input.path,
        revision: input.revision,
        destination: input.destination,
        project: input.project,
        syncPolicy: input.syncPolicy,
      };
      const api = deps.api(await ctx.getInitiatorCredentials());
      ctx.logger.info(
        `Checking application "${request.name}" with the reconciler: name, cluster, project "${request.project}"`,
      );
      await validateRequest(request, api);

      const catalogInfo = resolveSafeChildPath(
        ctx.workspacePath,
        input.catalogInfoPath,
      );
      let entityRef: string | undefined;
      let definitionFile: string;
      if (input.definition === 'catalog') {
        const text = await readFileOrExplain(
          catalogInfo,
          input.catalogInfoPath,
        );
        const result = annotateCatalogInfo(
          text,
          name => gitopsAnnotations(request, name),
          { entityName: input.entityName },
        );
        await fs.writeFile(catalogInfo, result.text);
        entityRef = result.entityRef;
        definitionFile = input.catalogInfoPath;
        ctx.logger.info(
          `Wrote the gitops annotations of ${entityRef} into ${input.catalogInfoPath}`,
        );
      } else {
        // Link the component to the Application by name, when there is one.
        if (await exists(catalogInfo)) {
          const result = annotateCatalogInfo(
            await fs.readFile(catalogInfo, 'utf8'),
            () => argoLinkAnnotations(request.name),
            { entityName: input.entityName },
          );
          await fs.writeFile(catalogInfo, result.text);
          entityRef = result.entityRef;
          ctx.logger.info(
            `Linked ${entityRef} to the Argo CD application "${request.name}"`,
          );
        }
        definitionFile = input.applicationFile ?? `argocd/${request.name}.yaml`;
        const file = resolveSafeChildPath(ctx.workspacePath, definitionFile);
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(
          file,
          argoApplicationYaml(
            argoApplication(request, {
              namespace: input.argocdNamespace,
              entityRef,
            }),
          ),
        );
        ctx.logger.info(
          `Wrote the Argo CD Application "${request.name}" to ${definitionFile}`,
        );
        if (input.gitLocation && ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would commit it to ${maskUrlCredentials(
              input.gitLocation.repoUrl,
            )} as ${input.gitLocation.file}`,
          );
        } else if (input.gitLocation) {
          const user = ctx.user?.entity;
          const commit = await commitApplicationFile({
            settings: deps.settings,
            location: input.gitLocation,
            name: request.name,
            yaml: await fs.readFile(file, 'utf8'),
            author: {
              name: user?.metadata.name ?? 'Backstage scaffolder',
              email: user?.spec?.profile?.email ?? 'scaffolder@backstage.local',
            },
          });
          ctx.logger.info(
            `Committed ${input.gitLocation.file} to ${maskUrlCredentials(
              input.gitLocation.repoUrl,
            )} as ${commit}`,
          );
          ctx.output('commit', commit);
        }
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          'Dry run: the definition was written to the workspace only',
        );
      }

      ctx.output('id', request.name);
      ctx.output('definitionFile', definitionFile);
      if (entityRef) {
        ctx.output('entityRef', entityRef);
        ctx.output('gitopsPath', gitopsTabPath(entityRef));
        ctx.output(
          'gitopsUrl',
          gitopsTabUrl(deps.settings.appBaseUrl, entityRef),
        );
      }
    },
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

async function readFileOrExplain(file: string, shown: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    throw new InputError(
      `${shown} is not in the workspace; fetch the skeleton first (fetch:template)`,
    );
  }
}
