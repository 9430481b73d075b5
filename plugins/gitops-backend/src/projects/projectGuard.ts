import {
  ApplicationCondition,
  ApplicationDefinition,
  AppProject,
  ProjectResource,
} from '@backstage-gitops/plugin-gitops-common';
import { Manifest, groupOf } from '../engine';
import { evaluateSyncWindows } from './syncWindows';
import { gateSync } from './syncGate';

/**
 * AppProject rules where the loop needs them: conditions on every refresh,
 * and a yes or no (with reasons) before every sync, manual or automated.
 */
export type ProjectGuard = ReturnType<typeof createProjectGuard>;

export function createProjectGuard(deps: {
  readProject: (name: string) => Promise<AppProject | undefined>;
  /** The API server of a declared cluster, for `server` rules. */
  serverOf: (cluster: string) => string | undefined;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const clusterOf = (app: ApplicationDefinition) => ({
    name: app.destination.cluster,
    server: deps.serverOf(app.destination.cluster),
  });

  return {
    /** What a refresh shows: rule violations, and a window holding auto-sync. */
    async conditions(
      app: ApplicationDefinition,
      manifests: Manifest[],
    ): Promise<ApplicationCondition[]> {
      const project = await deps.readProject(app.project ?? 'default');
      const gate = gateSync({
        app,
        project,
        cluster: clusterOf(app),
        resources: manifests.map(resourceOf),
        manual: true,
        dryRun: true,
        now: now(),
      });
      const conditions: ApplicationCondition[] = gate.allowed
        ? []
        : gate.reasons.map(message => ({ type: 'InvalidSpecError', message }));
      if (project && app.syncPolicy?.automated) {
        const window = evaluateSyncWindows(
          project.syncWindows,
          {
            application: app.name,
            namespace: app.destination.namespace,
            cluster: app.destination.cluster,
          },
          { manual: false, now: now() },
        );
        if (!window.allowed) {
          conditions.push({
            type: 'Warning',
            message: `automated sync is held: ${window.reason}`,
          });
        }
      }
      return conditions;
    },

    /** Why a sync may not run now, or undefined when it may. */
    async refuseSync(
      app: ApplicationDefinition,
      options: { manual: boolean; dryRun: boolean; manifests?: Manifest[] },
    ): Promise<string | undefined> {
      const gate = gateSync({
        app,
        project: await deps.readProject(app.project ?? 'default'),
        cluster: clusterOf(app),
        resources: options.manifests?.map(resourceOf),
        manual: options.manual,
        dryRun: options.dryRun,
        now: now(),
      });
      return gate.allowed ? undefined : gate.reasons.join('; ');
    },
  };
}

function resourceOf(manifest: Manifest): ProjectResource {
  return {
    group: groupOf(manifest),
    kind: manifest.kind,
    name: manifest.metadata.name ?? '',
    namespace: manifest.metadata.namespace || undefined,
  };
}
