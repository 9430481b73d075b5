import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { DEFAULT_CLUSTER_NAME } from '@backstage-gitops/plugin-gitops-common';
import { createArgoSource } from './applications/argocd/ArgoSource';
import { readArgoSettings } from './applications/argocd/settings';
import { createApplicationService } from './applications/ApplicationService';
import { createDefinitionsIndex } from './applications/DefinitionsIndex';
import { ApplicationStatusStore } from './database/ApplicationStatusStore';
import { readGitopsConfig } from './readGitopsConfig';
import { AuditLog } from './database/AuditLog';
import {
  ClusterConfigError,
  createClusterClients,
  createServerLookup,
  knownClusters,
  readClusters,
} from './cluster/clusters';
import { createProjectGuard } from './projects/projectGuard';
import {
  createGitMirrors,
  createIntegrationCredentials,
  createRepositoryService,
} from './repository';
import { createRouter } from './router';
import { createGitopsController } from './controller/createGitopsController';
import { WEBHOOK_PATH, createWebhookRouter } from './router/webhookRoutes';
import { readWebhookSettings } from './webhooks/settings';
import { createWebhookService } from './webhooks/WebhookService';
import { createAccess } from './router/access';
import { createResourceLoader } from './permissions/owners';
import { registerApplicationResourceType } from './permissions/registerResourceType';
import { createApplicationRoutes } from './router/applicationRoutes';
import { createValidateRoutes } from './router/validateRoutes';
import { requireJsonBody } from './router/requireJson';
import {
  GitopsApplicationSource,
  gitopsApplicationSourcesExtensionPoint,
} from '@backstage-gitops/plugin-gitops-node';
import { createPublicErrorHandler } from './router/publicErrors';

/**
 * The GitOps reconciler, as a Backstage backend plugin.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    const extraSources: GitopsApplicationSource[] = [];
    env.registerExtensionPoint(gitopsApplicationSourcesExtensionPoint, {
      addApplicationSource(source) {
        extraSources.push(source);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        database: coreServices.database,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        lifecycle: coreServices.lifecycle,
      },
      async init(deps) {
        const settings = readGitopsConfig(deps.config);
        const statuses = await ApplicationStatusStore.create(deps);
        const mirrors = createGitMirrors({
          cacheDir: settings.cacheDir,
          timeoutMs: settings.reconcile.gitTimeoutMs,
          allowHttp: settings.allowHttpRepositories,
          credentials: createIntegrationCredentials(deps.config),
          logger: deps.logger,
        });
        // Other features (rollback) record their actions here too.
        const audit = await AuditLog.create(deps);
        const repository = createRepositoryService({
          mirrors,
          tools: settings.tools,
          readLimits: withoutUnset(settings.readLimits),
          maxObjects: settings.maxApplicationObjects,
          logger: deps.logger,
        });
        const clusters = readClusters(deps.config);
        const clientFor = createClusterClients(clusters);
        const argo = createArgoSource({
          settings: readArgoSettings(deps.config),
          repository,
          clientFor,
          kubeConfigFor: cluster => {
            const load = clusters.get(cluster);
            if (!load) {
              throw new ClusterConfigError(
                `cluster "${cluster}" is not declared in gitops.clusters`,
              );
            }
            return load();
          },
          mapContext: () => ({
            clusters: knownClusters(clusters),
            allowHttp: settings.allowHttpRepositories,
            inClusterName: DEFAULT_CLUSTER_NAME,
          }),
          logger: deps.logger,
        });
        const definitions = createDefinitionsIndex({
          ...deps,
          argo,
          extraSources,
        });
        const applications = createApplicationService({
          definitions,
          statuses,
          argo,
        });
        const serverOf = createServerLookup(clusters);
        const controller = await createGitopsController({
          ...deps,
          applications,
          repository,
          clusters,
          clientFor,
          argo,
          definitions,
          projects: createProjectGuard({
            readProject: name => applications.readProject(name),
            serverOf,
          }),
          settings: { ...settings.reconcile, history: settings.history },
        });
        const { reconciler, syncs, operations, resources } = controller;
        await controller.start();
        deps.lifecycle.addShutdownHook(async () => {
          definitions.stop();
          await controller.stop();
          await argo.stop();
        });
        // Git hosts cannot hold Backstage tokens: the webhook route checks
        // their signature instead, and comes first so its raw body is intact.
        deps.httpRouter.addAuthPolicy({
          path: WEBHOOK_PATH,
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(
          createWebhookRouter({
            settings: readWebhookSettings(deps.config),
            webhooks: createWebhookService({
              ...deps,
              applications,
              argo,
              repository,
              refresh: app => reconciler.refresh(app),
            }),
          }),
        );
        // Every other POST takes JSON only; checked once, here.
        deps.httpRouter.use(requireJsonBody({ except: [WEBHOOK_PATH] }));
        const loadResources = createResourceLoader(deps);
        registerApplicationResourceType({
          ...deps,
          applications,
          loadResources,
        });
        const access = createAccess({ ...deps, applications, loadResources });
        deps.httpRouter.use(
          await createRouter({
            ...deps,
            access,
            applications,
            reconciler,
            syncs,
            operations,
            audit,
          }),
        );
        // Templates ask before writing a definition (issue #8).
        deps.httpRouter.use(
          createValidateRoutes({
            access,
            applications,
            clusterNames: [...clusters.keys()],
            serverOf,
            allowHttp: settings.allowHttpRepositories,
          }),
        );
        deps.httpRouter.use(
          createApplicationRoutes({
            access,
            auth: deps.auth,
            statuses,
            resources,
            operations,
            syncs,
            publicBadges: settings.publicBadges,
            audit,
          }),
        );
        // Last: errors of every route above, made fit to be shown.
        deps.httpRouter.use(createPublicErrorHandler());
        if (settings.publicBadges) {
          deps.httpRouter.addAuthPolicy({
            path: '/applications/:name/badge',
            allow: 'unauthenticated',
          });
        }
      },
    });
  },
});

// Unset limits keep the repository service's defaults.
function withoutUnset<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
