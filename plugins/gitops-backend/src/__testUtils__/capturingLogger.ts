import {
  LoggerService,
  RootLoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';

/**
 * A root logger that keeps every line of every plugin, at every level, with
 * its fields and any error's message and stack: what would reach a log.
 */
export function capturingLogger() {
  const lines: string[] = [];
  const make = (fields: Record<string, unknown>): LoggerService => {
    const log = (level: string) => (message: string, meta?: Error | object) => {
      const extra =
        meta instanceof Error
          ? { error: meta.message, stack: meta.stack }
          : meta;
      lines.push(JSON.stringify({ level, message, ...fields, ...extra }));
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: more => make({ ...fields, ...more }),
    };
  };
  const root: RootLoggerService = make({});
  return {
    lines,
    factory: createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => root,
    }),
  };
}
