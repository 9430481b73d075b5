import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import type { WebhookProvider } from './parsePush';

/*
 * The parts of each host's push payload that parsePush reads, and nothing
 * more: other fields pass through unchecked, so a host adding fields breaks
 * nothing, while a field we read with the wrong type is a 400 naming it
 * instead of a TypeError deep in the parser. Optional strings may be null, as
 * hosts send for unset values.
 */
const text = z.string().nullish();
const paths = z.array(z.string()).nullish();
const commits = z
  .array(
    z
      .object({ added: paths, modified: paths, removed: paths })
      .passthrough()
      .nullable(),
  )
  .nullish();
const object = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape).passthrough();

const schemas = {
  github: object({
    ref: text,
    repository: object({
      clone_url: text,
      ssh_url: text,
      html_url: text,
      git_url: text,
      default_branch: text,
    }).nullish(),
    commits,
  }),
  gitlab: object({
    ref: text,
    project: object({
      git_http_url: text,
      git_ssh_url: text,
      web_url: text,
      default_branch: text,
    }).nullish(),
    total_commits_count: z.number().nullish(),
    commits,
  }),
  bitbucketServer: object({
    repository: object({
      links: object({
        clone: z.array(object({ href: text }).nullable()).nullish(),
      }).nullish(),
    }).nullish(),
    changes: z
      .array(object({ ref: object({ id: text }).nullish() }).nullable())
      .nullish(),
  }),
  bitbucketCloud: object({
    repository: object({
      full_name: text,
      links: object({ html: object({ href: text }).nullish() }).nullish(),
    }).nullish(),
    push: object({
      changes: z
        .array(
          object({
            // null when the push deleted the branch or tag
            new: object({ type: text, name: text }).nullish(),
          }).nullable(),
        )
        .nullish(),
    }).nullish(),
  }),
} satisfies Record<WebhookProvider, z.ZodTypeAny>;

export type PushPayload<P extends WebhookProvider> = z.infer<
  (typeof schemas)[P]
>;

const PROVIDER_NAMES: Record<WebhookProvider, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  bitbucketServer: 'Bitbucket Server',
  bitbucketCloud: 'Bitbucket Cloud',
};

/** `commits[0].added`, as a user finds it in the payload. */
function fieldName(path: (string | number)[]): string {
  let name = '';
  for (const key of path) {
    if (typeof key === 'number') name += `[${key}]`;
    else name += name ? `.${key}` : key;
  }
  return name || 'the body';
}

/**
 * The payload, checked against its host's schema; an InputError (400) naming
 * the first wrong fields otherwise.
 */
export function validatePushPayload<P extends WebhookProvider>(
  provider: P,
  body: unknown,
): PushPayload<P> {
  const result = schemas[provider].safeParse(body);
  if (result.success) return result.data as PushPayload<P>;
  const problems = result.error.issues
    .slice(0, 3)
    .map(issue => `${fieldName(issue.path)}: ${issue.message}`);
  throw new InputError(
    `Invalid ${PROVIDER_NAMES[provider]} push payload: ${problems.join('; ')}`,
  );
}
