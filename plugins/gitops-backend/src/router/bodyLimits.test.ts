import {
  GitopsTestBackend,
  startGitopsTestBackend,
} from '../__testUtils__/gitopsTestBackend';
import { postOverLimit } from './__testUtils__/rawHttp';
import { JSON_BODY_LIMIT_BYTES } from './boundedBody';

jest.setTimeout(120_000);

const WEBHOOK_LIMIT = 4096;

// Issue 13, item 7: a body over the limit is refused as soon as it is known
// to be over, and the server does not read the rest.
describe('request bodies over the limit', () => {
  let backend: GitopsTestBackend;

  beforeAll(async () => {
    backend = await startGitopsTestBackend({
      gitops: {
        webhooks: {
          maxBodyBytes: WEBHOOK_LIMIT,
          github: { secret: 'body-limit-s3cret' },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const routes: {
    route: string;
    path: string;
    headers: Record<string, string>;
    limit: number;
  }[] = [
    {
      route: 'the webhook route',
      path: '/api/gitops/webhook',
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': 'push',
      },
      limit: WEBHOOK_LIMIT,
    },
    {
      route: 'a JSON route',
      path: '/api/gitops/applications/body-limit-app/sync',
      headers: { 'Content-Type': 'application/json' },
      limit: JSON_BODY_LIMIT_BYTES,
    },
  ];

  describe.each(routes)('on $route', ({ path, headers, limit }) => {
    it('answers 413 to a Content-Length over the limit without the body', async () => {
      const seen = await postOverLimit(backend.server, {
        path,
        headers,
        mode: 'declared',
        bodyBytes: 1024 * 1024 * 1024,
      });
      expect(seen.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(seen.answer).toMatch(/\r\nConnection: close\r\n/i);
      expect(seen.answer).toContain(
        `Request body is larger than the limit of ${limit} bytes`,
      );
      expect(seen.closed).toBe(true);
    });

    it('answers 413 to a chunked body once it passes the limit, and closes', async () => {
      const seen = await postOverLimit(backend.server, {
        path,
        headers,
        mode: 'chunked',
        // Far more than the socket buffers hold, so that the client is
        // still writing when the server decides.
        bodyBytes: 32 * 1024 * 1024,
      });
      expect(seen.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(seen.closed).toBe(true);
      // The answer came while the client was still sending, not after the
      // whole body had been read.
      expect(seen.sentBeforeAnswer).toBeLessThan(seen.bodyBytes);
    });
  });
});
