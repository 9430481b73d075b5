import { BackendFeature } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import fs from 'fs/promises';
import { Knex } from 'knex';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { gitopsPlugin } from '../plugin';

/**
 * The plugin with the real catalog (entities from a file), SQLite, the test
 * cluster declared as `test`, and the loop off so that tests drive refreshes.
 * `gitops` is merged over those defaults.
 */
export type GitopsTestBackend = {
  server: Parameters<typeof request>[0];
  /** The catalog's entities file: rewrite it to change the entities. */
  entitiesFile: string;
  stop(): Promise<void>;
};

export async function startGitopsTestBackend(options: {
  gitops?: Record<string, unknown>;
  entities?: string;
  /** Every permission decision; default: the test backend's (allow). */
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** The database of every plugin; default: the test backend's own. */
  knex?: Knex;
  /**
   * Backstage's own scheduler, on that database, instead of the test
   * backend's (which runs each task once, at startup): replicas sharing the
   * database then share its tasks, as deployed backends do.
   */
  realScheduler?: boolean;
  /** Modules that extend the plugin through its extension points. */
  features?: BackendFeature[];
  /** Merged over the catalog's config, e.g. its `processingInterval`. */
  catalog?: Record<string, unknown>;
  /** Top-level config besides `catalog` and `gitops`, e.g. `permission`. */
  config?: Record<string, unknown>;
}): Promise<GitopsTestBackend> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitops-test-backend-'));
  const file = path.join(dir, 'entities.yaml');
  await fs.writeFile(file, options.entities ?? '');
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      catalogPlugin,
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          catalog: {
            rules: [{ allow: ['Component'] }],
            locations: [{ type: 'file', target: file }],
            ...options.catalog,
          },
          gitops: {
            allowHttpRepositories: true,
            cacheDir: path.join(dir, 'mirrors'),
            reconcile: { enabled: false },
            // The catalog processes a file's entities a moment after start.
            definitions: { catalogRefreshSeconds: 1 },
            clusters: [
              {
                name: 'test',
                kubeconfigPath: process.env.GITOPS_TEST_KUBECONFIG,
              },
            ],
            ...options.gitops,
          },
        },
      }),
      ...(options.permission
        ? [mockServices.permissions.factory({ result: options.permission })]
        : []),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      ...(options.realScheduler ? [schedulerServiceFactory] : []),
      ...(options.features ?? []),
    ],
  });
  return {
    server: backend.server,
    entitiesFile: file,
    async stop() {
      await backend.stop();
      // A Git fetch the stopped backend started may still be finishing in
      // the mirror folder; retrying lets it end instead of failing the test.
      await fs.rm(dir, {
        recursive: true,
        force: true,
        maxRetries: 10,
        retryDelay: 200,
      });
    },
  };
}

/** Polls `probe` until it returns a value, or fails after `attempts`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  attempts = 100,
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The listed application of that name, with its status if it has one. */
export async function listedApplication(
  server: Parameters<typeof request>[0],
  name: string,
) {
  const res = await request(server).get('/api/gitops/applications');
  return {
    app: res.body.items?.find((a: { name: string }) => a.name === name),
    problems: res.body.problems as { origin: string; message: string }[],
  };
}
