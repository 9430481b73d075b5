import { Config } from '@backstage/config';
import { WebhookProvider } from './parsePush';

export type WebhookSettings = {
  /** Bodies above this many bytes are refused (413) before being read whole. */
  maxBodyBytes: number;
  /** The secret of each provider that may send webhooks; others get 403. */
  secrets: Partial<Record<WebhookProvider, string>>;
};

const PROVIDERS: WebhookProvider[] = [
  'github',
  'gitlab',
  'bitbucketServer',
  'bitbucketCloud',
];

/** `gitops.webhooks` (config.d.ts documents each key). */
export function readWebhookSettings(config: Config): WebhookSettings {
  const webhooks = config.getOptionalConfig('gitops.webhooks');
  const secrets: WebhookSettings['secrets'] = {};
  for (const provider of PROVIDERS) {
    const secret = webhooks?.getOptionalString(`${provider}.secret`);
    if (secret) secrets[provider] = secret;
  }
  return {
    maxBodyBytes: webhooks?.getOptionalNumber('maxBodyBytes') ?? 1024 * 1024,
    secrets,
  };
}
