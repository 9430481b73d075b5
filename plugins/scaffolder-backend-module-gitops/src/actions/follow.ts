import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, isError } from '@backstage/errors';
import { ApplicationSummary } from '@backstage-gitops/plugin-gitops-common';
import { GitopsApi } from '../client/GitopsApiClient';
import { Progress, judgeProgress } from '../definition/progress';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    });
  });

/**
 * Waits until the reconciler knows the application: a definition in a newly
 * registered component reaches it once the catalog has processed the entity.
 * Then asks for a comparison at once rather than at the next interval.
 */
export async function awaitRegistration(options: {
  api: GitopsApi;
  name: string;
  timeoutMs: number;
  intervalMs: number;
  logger: LoggerService;
  signal?: AbortSignal;
}): Promise<ApplicationSummary> {
  const { api, name, logger } = options;
  const deadline = Date.now() + options.timeoutMs;
  let logged = false;
  for (;;) {
    const app = await api.getApplication(name);
    if (app) return app.status ? app : (await refreshOrRead(api, name)) ?? app;
    if (Date.now() >= deadline) {
      throw new NotFoundError(
        `The reconciler does not know application "${name}" after ${Math.round(
          options.timeoutMs / 1000,
        )} s: is its component registered in the catalog (catalog:register), or its Application in a configured Git location?`,
      );
    }
    if (!logged) {
      logger.info(`Waiting for the reconciler to pick up "${name}"`);
      logged = true;
    }
    await sleep(options.intervalMs, options.signal);
  }
}

/**
 * Polls the application (and the operation being followed) until it is
 * Synced and Healthy, fails, or the time is up; each change of state is
 * logged once. A refresh is requested whenever no operation is running, so
 * health is judged on the live state, not the last interval's.
 */
export async function followUntilHealthy(options: {
  api: GitopsApi;
  name: string;
  operationId?: string;
  timeoutMs: number;
  intervalMs: number;
  logger: LoggerService;
  signal?: AbortSignal;
}): Promise<ApplicationSummary> {
  const { api, name, operationId, logger } = options;
  const deadline = Date.now() + options.timeoutMs;
  let last: Progress | undefined;
  for (;;) {
    const operation = operationId
      ? await api.getOperation(name, operationId)
      : undefined;
    const running = operation && operation.phase === 'Running';
    // Compare now unless a sync is running (it ends with a comparison); then
    // read the detail, whose resources name what is Degraded.
    if (!running) await refreshOrRead(api, name);
    const app = await api.getApplication(name);
    if (!app) throw new NotFoundError(`No application named "${name}"`);
    const progress = judgeProgress(app, operation);
    if (progress.state === 'done') {
      logger.info(`"${name}" is Synced and Healthy`);
      return app;
    }
    if (progress.state === 'failed') {
      throw new Error(`"${name}" did not become healthy: ${progress.reason}`);
    }
    if (last?.state !== 'waiting' || last.reason !== progress.reason) {
      logger.info(`"${name}": ${progress.reason}`);
    }
    last = progress;
    if (Date.now() >= deadline) {
      throw new Error(
        `"${name}" was not Synced and Healthy within ${Math.round(
          options.timeoutMs / 1000,
        )} s; last seen: ${progress.reason}`,
      );
    }
    await sleep(options.intervalMs, options.signal);
  }
}

// Refreshing needs its own permission; without it, the stored status will do.
async function refreshOrRead(
  api: GitopsApi,
  name: string,
): Promise<ApplicationSummary | undefined> {
  try {
    return await api.refresh(name);
  } catch (error) {
    if (isError(error) && error.name === 'ResponseError') {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 403) return api.getApplication(name);
    }
    throw error;
  }
}
