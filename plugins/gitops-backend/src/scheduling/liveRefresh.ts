import { LoggerService } from '@backstage/backend-plugin-api';
import { ApplicationDefinition } from '@backstage-gitops/plugin-gitops-common';

/**
 * Refreshes an application soon after a live change to one of its objects,
 * so selfHeal repairs an edit without waiting for the poll interval. Changes
 * are gathered for `delayMs` (a rollout changes an object many times in a
 * row) and an application is never refreshed twice at once: changes during a
 * refresh lead to one more refresh after it.
 */
export function createLiveRefresher(deps: {
  /** The application's definition, if it (still) exists. */
  readDefinition: (name: string) => Promise<ApplicationDefinition | undefined>;
  refresh: (app: ApplicationDefinition) => Promise<unknown>;
  /**
   * Whether this replica is the one to refresh the application (every
   * replica sees every change); all changes are its own when absent.
   */
  claim?: (name: string) => Promise<boolean>;
  logger: LoggerService;
  delayMs?: number;
}) {
  const delayMs = deps.delayMs ?? 100;
  const pending = new Map<string, NodeJS.Timeout>();
  const running = new Set<string>();
  const again = new Set<string>();
  let stopped = false;

  // When the claims cannot be read, comparing twice beats comparing never.
  async function claimed(name: string): Promise<boolean> {
    if (!deps.claim) return true;
    try {
      return await deps.claim(name);
    } catch (error) {
      deps.logger.warn(
        `gitops: could not tell which backend refreshes ${name} after a live change; refreshing it here`,
        error as Error,
      );
      return true;
    }
  }

  async function run(name: string, cluster: string) {
    pending.delete(name);
    running.add(name);
    try {
      const app = await deps.readDefinition(name);
      // An id naming an application of another cluster is someone's copy.
      if (
        app &&
        app.destination.cluster === cluster &&
        !stopped &&
        (await claimed(name))
      ) {
        await deps.refresh(app);
      }
    } catch (error) {
      deps.logger.warn(
        `gitops: refresh of ${name} after a live change failed`,
        error as Error,
      );
    } finally {
      running.delete(name);
      if (again.delete(name)) schedule(cluster, name);
    }
  }

  function schedule(cluster: string, name: string) {
    if (stopped || pending.has(name)) return;
    if (running.has(name)) {
      again.add(name);
      return;
    }
    const timer = setTimeout(() => run(name, cluster), delayMs);
    timer.unref?.();
    pending.set(name, timer);
  }

  return {
    /** Applications of `cluster` whose objects changed live. */
    notify(cluster: string, applications: string[]): void {
      for (const name of applications) schedule(cluster, name);
    },
    stop(): void {
      stopped = true;
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    },
  };
}

export type LiveRefresher = ReturnType<typeof createLiveRefresher>;
