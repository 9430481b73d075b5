import {
  AuthenticationError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  WebhookProvider,
  detectProvider,
  isPushEvent,
  parsePush,
} from '../webhooks/parsePush';
import { WebhookSettings } from '../webhooks/settings';
import {
  verifyHmacSha256,
  verifySharedSecret,
} from '../webhooks/verifySignature';
import { WebhookService } from '../webhooks/WebhookService';
import { boundedBody } from './boundedBody';

/** The route Git hosts call; plugin.ts lets it through without Backstage auth. */
export const WEBHOOK_PATH = '/webhook';

const PROVIDER_NAMES: Record<WebhookProvider, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  bitbucketServer: 'Bitbucket Server',
  bitbucketCloud: 'Bitbucket Cloud',
};

function verified(
  provider: WebhookProvider,
  req: express.Request,
  raw: Buffer,
  secret: string,
): boolean {
  switch (provider) {
    case 'github':
      return verifyHmacSha256(raw, req.get('x-hub-signature-256'), secret);
    case 'bitbucketServer':
      return verifyHmacSha256(raw, req.get('x-hub-signature'), secret);
    case 'gitlab':
      return verifySharedSecret(req.get('x-gitlab-token'), secret);
    case 'bitbucketCloud': {
      // Hooks given a secret in Bitbucket Cloud sign like Bitbucket Server;
      // older hooks sign nothing, and the secret travels in the hook's URL
      // (where access logs may see it: prefer the signature).
      const signature = req.get('x-hub-signature');
      if (signature) return verifyHmacSha256(raw, signature, secret);
      const given = req.query.secret;
      return verifySharedSecret(
        typeof given === 'string' ? given : undefined,
        secret,
      );
    }
    default:
      return false;
  }
}

/**
 * `POST /webhook`: push events of GitHub, GitLab and Bitbucket. The body is
 * read as raw bytes up to the limit (a larger one is refused with 413 as soon
 * as it passes the limit, see `boundedBody`), the signature or secret is checked over those bytes, and
 * only then is it parsed. A provider without a configured secret is refused.
 */
export function createWebhookRouter(deps: {
  settings: WebhookSettings;
  webhooks: WebhookService;
}): express.Router {
  const router = Router();
  router.post(
    WEBHOOK_PATH,
    boundedBody(
      express.raw({ type: () => true, limit: deps.settings.maxBodyBytes }),
      deps.settings.maxBodyBytes,
    ),
    async (req, res) => {
      const provider = detectProvider(req.headers);
      if (!provider) {
        throw new InputError('Not a GitHub, GitLab or Bitbucket webhook');
      }
      const secret = deps.settings.secrets[provider];
      if (!secret) {
        throw new NotAllowedError(
          `Webhooks from ${PROVIDER_NAMES[provider]} are not enabled: set gitops.webhooks.${provider}.secret`,
        );
      }
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!verified(provider, req, raw, secret)) {
        throw new AuthenticationError(
          `${PROVIDER_NAMES[provider]} webhook signature or secret does not match`,
        );
      }
      if (!isPushEvent(provider, req.headers)) {
        res.status(200).json({ refreshed: [], ignored: 'not a push event' });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new InputError('Webhook body is not JSON');
      }
      if (typeof body !== 'object' || body === null) {
        throw new InputError('Webhook body is not a JSON object');
      }
      const refreshed = await deps.webhooks.onPush(parsePush(provider, body));
      res.status(202).json({ refreshed });
    },
  );
  return router;
}
