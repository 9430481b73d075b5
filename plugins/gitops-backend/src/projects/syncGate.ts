import {
  ApplicationDefinition,
  AppProject,
  ClusterIdentity,
  ProjectResource,
  projectViolations,
} from '@backstage-gitops/plugin-gitops-common';
import { evaluateSyncWindows } from './syncWindows';

/** The outcome of asking whether a sync may run now, with the reasons if not. */
export type SyncGate =
  | { allowed: true }
  | { allowed: false; reasons: string[] };

/**
 * Whether a sync may run, as Argo CD decides it: the project must exist, the
 * application and its resources must keep the project's rules, and (except
 * for dry runs, which change nothing) a sync window must let it through.
 */
export function gateSync(input: {
  app: ApplicationDefinition;
  project: AppProject | undefined;
  cluster: ClusterIdentity;
  resources?: ProjectResource[];
  manual: boolean;
  dryRun: boolean;
  now: Date;
}): SyncGate {
  const { app, project } = input;
  const projectName = app.project ?? 'default';
  if (!project) {
    return {
      allowed: false,
      reasons: [`project "${projectName}" does not exist`],
    };
  }
  const reasons = projectViolations({
    project,
    app,
    cluster: input.cluster,
    resources: input.resources,
  });
  if (!input.dryRun) {
    const window = evaluateSyncWindows(
      project.syncWindows,
      {
        application: app.name,
        namespace: app.destination.namespace,
        cluster: app.destination.cluster,
      },
      { manual: input.manual, now: input.now },
    );
    if (!window.allowed) reasons.push(`sync blocked: ${window.reason}`);
  }
  return reasons.length ? { allowed: false, reasons } : { allowed: true };
}
