import { OperationDetail } from '@backstage-gitops/plugin-gitops-common';
import express from 'express';

const POLL_MS = 500;
const HEARTBEAT_MS = 15_000;
// A stream is closed after this long; the client reconnects if still running.
const MAX_STREAM_MS = 10 * 60_000;
const FINISHED = ['Succeeded', 'Failed', 'Error'];

/**
 * Streams an operation as server-sent events (`event: operation`), once now
 * and again each time it changes, until it ends or the client goes. It reads
 * the database rather than listening in-process, so it follows a sync that
 * another backend instance runs.
 */
export async function streamOperation(
  req: express.Request,
  res: express.Response,
  read: () => Promise<OperationDetail | undefined>,
): Promise<void> {
  let closed = false;
  req.on('close', () => {
    closed = true;
  });
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  // The compression middleware buffers unless told to flush.
  const flush = () => (res as unknown as { flush?: () => void }).flush?.();
  const started = Date.now();
  let last = '';
  let lastWrite = Date.now();
  while (!closed && Date.now() - started < MAX_STREAM_MS) {
    const operation = await read();
    if (!operation) break;
    const json = JSON.stringify(operation);
    if (json !== last) {
      res.write(`event: operation\ndata: ${json}\n\n`);
      flush();
      last = json;
      lastWrite = Date.now();
    } else if (Date.now() - lastWrite > HEARTBEAT_MS) {
      res.write(': still running\n\n');
      flush();
      lastWrite = Date.now();
    }
    if (FINISHED.includes(operation.phase)) break;
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  res.end();
}
