import { Worker } from 'worker_threads';
import { PathSegment } from '../../engine/diff';

// jq itself (jq-wasm: jq compiled to WebAssembly, in-process) rather than a
// home-made subset, so users' Argo CD expressions mean what they meant there.
// It runs in a worker thread: WebAssembly cannot be interrupted from the same
// thread, and an expression such as `def f: f; f` never returns, so the time
// limit is kept by terminating the worker.

export type JqLimits = {
  /** Per evaluation; Argo CD's default is 1 s. */
  timeoutMs: number;
  /** Of the object given to jq, as JSON. */
  maxInputBytes: number;
  /** Of what jq prints. */
  maxOutputBytes: number;
  /** Of the expression itself. */
  maxExpressionLength: number;
};

export const DEFAULT_JQ_LIMITS: JqLimits = {
  timeoutMs: 1000,
  maxInputBytes: 1024 * 1024,
  maxOutputBytes: 1024 * 1024,
  maxExpressionLength: 1024,
};

/** The expression was refused, failed, or broke a limit; in words. */
export class JqError extends Error {}

const WORKER_SOURCE = (modulePath: string) => `
const { parentPort } = require('worker_threads');
const jq = require(${JSON.stringify(modulePath)});
parentPort.on('message', async ({ id, input, filter }) => {
  try {
    parentPort.postMessage({ id, output: await jq.raw(input, filter, ['-c']) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

type Reply = { id: number; output?: string; error?: string };

/**
 * Evaluates jq path expressions, one at a time, under the limits. A worker
 * is started on first use and replaced after a timeout.
 */
export function createJqRunner(limits: Partial<JqLimits> = {}) {
  const settings = { ...DEFAULT_JQ_LIMITS, ...limits };
  let worker: Promise<Worker> | undefined;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();

  // Loading jq's WebAssembly takes a moment on a busy machine: the time
  // limit starts once the worker has answered a first, trivial query.
  async function startWorker(): Promise<Worker> {
    const started = new Worker(WORKER_SOURCE(require.resolve('jq-wasm')), {
      eval: true,
    });
    // Never keeps the backend (or a test run) alive on its own.
    started.unref();
    await ask(started, 'null', '.', 60_000);
    return started;
  }

  function ask(
    current: Worker,
    input: string,
    filter: string,
    timeoutMs: number,
  ): Promise<string> {
    const id = nextId++;
    return new Promise<string>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const onMessage = (reply: Reply) => {
        if (reply.id !== id) return;
        clearTimeout(timer);
        current.off('message', onMessage);
        if (reply.error !== undefined) {
          reject(new JqError(firstLine(reply.error)));
        } else {
          resolve(reply.output ?? '');
        }
      };
      timer = setTimeout(() => {
        current.off('message', onMessage);
        worker = undefined;
        current.terminate().catch(() => undefined);
        reject(new JqError(`jq took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      current.on('message', onMessage);
      current.postMessage({ id, input, filter });
    });
  }

  async function run(input: string, filter: string): Promise<string> {
    worker ??= startWorker();
    const current = worker;
    try {
      return await ask(await current, input, filter, settings.timeoutMs);
    } catch (error) {
      if (!(error instanceof JqError)) worker = undefined;
      throw error;
    }
  }

  async function paths(
    expression: string,
    doc: unknown,
  ): Promise<PathSegment[][]> {
    if (expression.length > settings.maxExpressionLength) {
      throw new JqError(
        `the expression is longer than ${settings.maxExpressionLength} characters`,
      );
    }
    const input = JSON.stringify(doc ?? null);
    if (Buffer.byteLength(input) > settings.maxInputBytes) {
      throw new JqError(
        `the object is larger than ${settings.maxInputBytes} bytes`,
      );
    }
    // `path(e)` gives the location of every value `e` selects, which is
    // what Argo CD deletes with `del(e)`.
    const output = await run(input, `[path(${expression})]`);
    if (Buffer.byteLength(output) > settings.maxOutputBytes) {
      throw new JqError(
        `jq printed more than ${settings.maxOutputBytes} bytes`,
      );
    }
    return output
      .split('\n')
      .filter(line => line.trim() !== '')
      .flatMap(line => JSON.parse(line) as PathSegment[][])
      .filter(path => Array.isArray(path) && path.length > 0);
  }

  return {
    /** Serialised: one worker evaluates one expression at a time. */
    paths(expression: string, doc: unknown): Promise<PathSegment[][]> {
      const result = queue.then(() => paths(expression, doc));
      queue = result.catch(() => undefined);
      return result;
    },
    async close(): Promise<void> {
      const current = worker;
      worker = undefined;
      await (await current?.catch(() => undefined))?.terminate();
    },
  };
}

export type JqRunner = ReturnType<typeof createJqRunner>;

// jq's messages end with a line count and shell-quoting hints; the first
// line says what is wrong.
function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}
