import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { stringify } from 'yaml';
import { GitRepoServer } from '../../src/e2e/lib/gitRepoServer';

export type Server = Parameters<typeof request>[0];

/** One Argo CD Application of the run: where its manifests live, where they go. */
export type ConformanceApp = {
  name: string;
  namespace: string;
  /** Folder of the repository holding the application's manifests. */
  path: string;
  syncPolicy: Record<string, unknown>;
  /** More of `spec.source`: `directory`, `helm`, `kustomize`. */
  source?: Record<string, unknown>;
  ignoreDifferences?: Record<string, unknown>[];
};

export type BackendOptions = {
  /**
   * How long a read of the Argo CD Applications is reused (default 60 s):
   * short where a fixture changes an Application in Git mid-run.
   */
  argocdCacheSeconds?: number;
  /**
   * Application objects are read from this namespace of the test cluster
   * too (an app of apps syncs its children there), and the backend runs as
   * Argo CD's controller does: the reconcile loop every second, and the
   * Applications' finalizers, on Backstage's own scheduler.
   */
  argoNamespace?: string;
};

/** The Application as a user writes it for Argo CD. */
export function applicationYaml(app: ConformanceApp, repoURL: string): string {
  return stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: app.name, namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL,
        targetRevision: 'HEAD',
        path: app.path,
        ...app.source,
      },
      destination: { name: 'test', namespace: app.namespace },
      ...(app.ignoreDifferences
        ? { ignoreDifferences: app.ignoreDifferences }
        : {}),
      ...(Object.keys(app.syncPolicy).length
        ? { syncPolicy: app.syncPolicy }
        : {}),
    },
  });
}

/**
 * The real plugin, through its public export, reading the run's Argo CD
 * Applications from `apps/` of the repository. The reconcile loop is off
 * (unless `argoNamespace`): the tests drive every refresh, and a refresh is
 * what starts an automated sync, as the loop's would.
 */
export async function startConformanceBackend(
  repo: GitRepoServer,
  options: BackendOptions = {},
): Promise<{ server: Server; stop(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-conformance-'));
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      catalogPlugin,
      mockServices.rootConfig.factory({
        data: {
          catalog: { rules: [{ allow: ['Component'] }], locations: [] },
          gitops: {
            allowHttpRepositories: true,
            cacheDir: path.join(dir, 'mirrors'),
            reconcile: options.argoNamespace
              ? { enabled: true, watch: false, interval: { seconds: 1 } }
              : { enabled: false },
            clusters: [
              {
                name: 'test',
                kubeconfigPath: process.env.GITOPS_TEST_KUBECONFIG,
              },
            ],
            argocd: {
              git: [{ repoURL: repo.url, path: 'apps' }],
              ...(options.argoNamespace
                ? {
                    clusters: [
                      { cluster: 'test', namespace: options.argoNamespace },
                    ],
                  }
                : {}),
              ...(options.argocdCacheSeconds !== undefined
                ? { cacheSeconds: options.argocdCacheSeconds }
                : {}),
            },
            // The render tools the test cluster's build put next to its binaries.
            tools: Object.fromEntries(
              ['helm', 'kustomize', 'jsonnet'].map(tool => [
                tool,
                path.join(process.env.GITOPS_TEST_BIN_DIR!, tool),
              ]),
            ),
          },
        },
      }),
      // The test backend's scheduler runs each task once, at startup.
      ...(options.argoNamespace ? [schedulerServiceFactory] : []),
    ],
  });
  return {
    server: backend.server,
    async stop() {
      await backend.stop();
      await fs.rm(dir, {
        recursive: true,
        force: true,
        maxRetries: 10,
        retryDelay: 200,
      });
    },
  };
}
