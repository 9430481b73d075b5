import express from 'express';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a mutating request whose body is anything but JSON, with 415.
 *
 * Browsers send form-encoded and text/plain bodies cross-site without a CORS
 * preflight; accepting only JSON keeps such requests from ever reaching an
 * action. A POST without a body (refresh, terminate) stays allowed. The
 * webhook route reads the raw bodies of Git hosts itself and is left alone.
 */
export function requireJsonBody(options: {
  /** Paths that take other bodies (the webhook route). */
  except: string[];
}): express.RequestHandler {
  const except = new Set(options.except);
  return (req, _res, next) => {
    // `req.is` answers null without a body, false for another type; an
    // empty body (Content-Length: 0, what fetch sends) carries nothing.
    const empty = req.headers['content-length'] === '0';
    if (
      READS.has(req.method) ||
      except.has(req.path) ||
      empty ||
      req.is('application/json') !== false
    ) {
      next();
      return;
    }
    const type = req.headers['content-type'] ?? 'none';
    next(
      Object.assign(
        new Error(
          `Unsupported content type "${type}": send the request body as application/json`,
        ),
        { name: 'UnsupportedMediaTypeError', statusCode: 415 },
      ),
    );
  };
}
