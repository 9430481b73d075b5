import { OperationDetail } from '@backstage-gitops/plugin-gitops-common';

const FINISHED = ['Succeeded', 'Failed', 'Error'];
const RETRY_MS = 1000;

/**
 * Reads the backend's server-sent events of one operation through `fetch`
 * (so the Backstage token goes with it, which EventSource cannot send), and
 * reconnects while the operation runs. Where a stream is not available, it
 * polls instead.
 */
export function followOperation(options: {
  open: (signal: AbortSignal) => Promise<Response>;
  poll: () => Promise<OperationDetail>;
  onChange: (operation: OperationDetail) => void;
  onEnd?: (error?: Error) => void;
}): () => void {
  const controller = new AbortController();
  let last: OperationDetail | undefined;
  const finished = () => !!last && FINISHED.includes(last.phase);
  const seen = (operation: OperationDetail) => {
    last = operation;
    options.onChange(operation);
  };
  const pause = () => new Promise(resolve => setTimeout(resolve, RETRY_MS));

  async function readStream(response: Response) {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter(line => line.startsWith('data: '))
          .map(line => line.slice(6))
          .join('\n');
        if (frame.startsWith('event: operation') && data) {
          seen(JSON.parse(data));
        }
        end = buffer.indexOf('\n\n');
      }
    }
  }

  async function run() {
    while (!controller.signal.aborted && !finished()) {
      const response = await options.open(controller.signal);
      if (!response.ok)
        throw new Error(`${response.status} ${response.statusText}`);
      if (response.body && typeof response.body.getReader === 'function') {
        await readStream(response);
      } else {
        seen(await options.poll());
      }
      if (!finished()) await pause();
    }
  }

  run().then(
    () => {
      if (!controller.signal.aborted) options.onEnd?.();
    },
    error => {
      if (!controller.signal.aborted) options.onEnd?.(error as Error);
    },
  );
  return () => controller.abort();
}
