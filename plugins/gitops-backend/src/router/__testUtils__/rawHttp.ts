import { AddressInfo, Socket, connect } from 'node:net';
import { Server } from 'node:http';

/** What a raw client saw of an answer to a body over the limit. */
export type OverLimitAnswer = {
  /** The answer's bytes as text, status line first; '' when none came. */
  answer: string;
  /** The server closed the connection after answering. */
  closed: boolean;
  /** Body bytes written before the first byte of the answer arrived. */
  sentBeforeAnswer: number;
  /** Body bytes the client would have sent in all. */
  bodyBytes: number;
};

/**
 * Sends `POST path` over a plain socket with a body over the limit, the way
 * a hostile client would, and reports when the answer arrived.
 *
 * - `declared`: headers claim `bodyBytes` in `Content-Length`, then only a
 *   few bytes follow; the answer must come without the rest.
 * - `chunked`: a chunked body of `bodyBytes` is streamed; the answer must
 *   come before its end.
 */
export async function postOverLimit(
  server: unknown,
  options: {
    path: string;
    headers: Record<string, string>;
    mode: 'declared' | 'chunked';
    bodyBytes: number;
    /** How long to wait for an answer that would never come. */
    waitMs?: number;
  },
): Promise<OverLimitAnswer> {
  const { port } = (server as Server).address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // Writes after the server closed fail with EPIPE or ECONNRESET: expected.
  socket.on('error', () => {});
  let answer = '';
  let sent = 0;
  let sentBeforeAnswer = -1;
  let closed = false;
  socket.on('data', data => {
    if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
    answer += data.toString('latin1');
  });
  const ended = new Promise<void>(resolve => {
    socket.once('end', () => {
      closed = true;
      resolve();
    });
    socket.once('close', () => {
      closed = true;
      resolve();
    });
  });
  const framing =
    options.mode === 'declared'
      ? { 'Content-Length': String(options.bodyBytes) }
      : { 'Transfer-Encoding': 'chunked' };
  const head = Object.entries({
    Host: 'localhost',
    ...options.headers,
    ...framing,
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  await write(socket, `POST ${options.path} HTTP/1.1\r\n${head}\r\n`);
  if (options.mode === 'declared') {
    await write(socket, '{"a":');
    sent += 5;
  } else {
    const chunk = Buffer.alloc(4096, ' ');
    while (sent < options.bodyBytes && !closed && sentBeforeAnswer < 0) {
      await write(socket, `${chunk.length.toString(16)}\r\n`);
      await write(socket, chunk);
      await write(socket, '\r\n');
      sent += chunk.length;
    }
    if (!closed) await write(socket, '0\r\n\r\n');
  }
  const waited = new Promise<void>(resolve =>
    setTimeout(resolve, options.waitMs ?? 30_000).unref(),
  );
  await Promise.race([ended, waited]);
  socket.destroy();
  return {
    answer,
    closed,
    sentBeforeAnswer: sentBeforeAnswer < 0 ? sent : sentBeforeAnswer,
    bodyBytes: options.bodyBytes,
  };
}

function write(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise(resolve => {
    if (socket.destroyed) {
      resolve();
      return;
    }
    socket.write(data, () => resolve());
  });
}
