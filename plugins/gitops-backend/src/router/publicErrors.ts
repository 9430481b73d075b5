import { InputError } from '@backstage/errors';
import express from 'express';
import { payloadTooLarge } from './boundedBody';

/** Query parameters whose values are credentials (Bitbucket Cloud's hook URL). */
const SECRET_PARAMETERS = ['secret'];

/**
 * The plugin's last error handler: it makes an error fit to be shown, then
 * leaves the answer to Backstage's (which hides stacks outside development).
 *
 * - A body parser's error is replaced by a typed one with nothing of the
 *   body: the parse error's message quotes the body's start (`Unexpected
 *   token … in "{…"`) and it carries the body in a `body` field, which
 *   Backstage's serialisation copies into the answer.
 * - Backstage's answer repeats the request URL; a secret in its query (how
 *   Bitbucket Cloud hooks without a signature authenticate) is masked there.
 */
export function createPublicErrorHandler(): express.RequestHandler {
  const handler: express.ErrorRequestHandler = (error, req, _res, next) => {
    req.url = maskSecretParameters(req.url);
    req.originalUrl = maskSecretParameters(req.originalUrl);
    next(publicError(error));
  };
  // Express tells an error handler by its four parameters, so it is passed
  // on as it is (a Router around it would be skipped while an error is
  // pending); `httpRouter.use` is typed for request handlers only.
  return handler as unknown as express.RequestHandler;
}

/** What the client may see of `error`; the error itself when it is ours. */
export function publicError(error: unknown): unknown {
  const type = (error as { type?: unknown })?.type;
  const status = (error as { status?: unknown })?.status;
  // body-parser's and raw-body's errors are the http-errors that carry a
  // `type`; ours never do.
  if (typeof type !== 'string' || typeof status !== 'number') return error;
  switch (type) {
    case 'entity.parse.failed':
      return new InputError('The request body is not valid JSON');
    case 'entity.too.large':
      return payloadTooLarge(Number((error as { limit?: unknown }).limit));
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return Object.assign(
        new Error('The request body’s charset or encoding is not supported'),
        { name: 'UnsupportedMediaTypeError', statusCode: 415 },
      );
    default:
      return status < 500
        ? new InputError('The request body could not be read')
        : new Error('The request body could not be read');
  }
}

/** `/webhook?secret=abc` → `/webhook?secret=***`; other parameters kept. */
export function maskSecretParameters(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = new URLSearchParams(url.slice(start + 1));
  let masked = false;
  for (const name of SECRET_PARAMETERS) {
    if (query.has(name)) {
      query.set(name, '***');
      masked = true;
    }
  }
  return masked ? `${url.slice(0, start)}?${query.toString()}` : url;
}
