import express from 'express';

/** What `express.json()` accepts by default; the API's bodies are small. */
export const JSON_BODY_LIMIT_BYTES = 100 * 1024;

/** The 413 our error handler and Backstage's answer with. */
export function payloadTooLarge(limit: number): Error {
  return Object.assign(
    new Error(`Request body is larger than the limit of ${limit} bytes`),
    { name: 'PayloadTooLargeError', statusCode: 413 },
  );
}

/**
 * Runs a body parser of `express` with a limit that holds on the wire.
 *
 * body-parser reads a body over its limit to the end before it answers 413
 * (it drains the request so the connection can be kept), so a client could
 * make the server read any number of bytes. Here a `Content-Length` over the
 * limit is refused before a byte is read, and a chunked body is counted as it
 * arrives and refused the moment it passes the limit. Either answer carries
 * `Connection: close`: Node then closes the socket after the 413 instead of
 * reading the rest.
 */
export function boundedBody(
  parser: express.RequestHandler,
  limit: number,
): express.RequestHandler {
  return (req, res, next) => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      res.setHeader('Connection', 'close');
      next(payloadTooLarge(limit));
      return;
    }
    let settled = false;
    const done = (error?: unknown) => {
      if (settled) return;
      settled = true;
      next(error);
    };
    if (declared === undefined && req.headers['transfer-encoding']) {
      let seen = 0;
      const count = (chunk: Buffer) => {
        seen += chunk.length;
        if (seen <= limit) return;
        req.off('data', count);
        res.setHeader('Connection', 'close');
        // The parser hits its own limit on this chunk too, and then waits
        // for the end of the body, which the closed socket ends; its late
        // call of `next` is dropped.
        done(payloadTooLarge(limit));
      };
      // Added in the same tick as the parser's own listener, so no chunk
      // flows before the parser listens.
      req.on('data', count);
      req.once('end', () => req.off('data', count));
    }
    parser(req, res, done);
  };
}

/** The API's JSON body parser, bounded on the wire. */
export function jsonBody(): express.RequestHandler {
  return boundedBody(
    express.json({ limit: JSON_BODY_LIMIT_BYTES }),
    JSON_BODY_LIMIT_BYTES,
  );
}
