import { InputError } from '@backstage/errors';
import fc from 'fast-check';
import { fuzz, jsonish } from '../__testUtils__/fuzz';
import { WebhookProvider, parsePush } from './parsePush';

// A correctly signed webhook still carries whatever its sender put in it:
// each provider's payload becomes a push event or an InputError (a 400 in
// words), never another error (a 500).

// The keys each provider's schema reads, so random values land on them.
const KEYS: Record<WebhookProvider, string[]> = {
  github: [
    'ref',
    'repository',
    'clone_url',
    'ssh_url',
    'html_url',
    'git_url',
    'default_branch',
    'commits',
    'added',
    'modified',
    'removed',
  ],
  gitlab: [
    'ref',
    'project',
    'git_http_url',
    'git_ssh_url',
    'web_url',
    'default_branch',
    'total_commits_count',
    'commits',
    'added',
    'modified',
    'removed',
  ],
  bitbucketServer: [
    'repository',
    'links',
    'clone',
    'href',
    'changes',
    'ref',
    'id',
  ],
  bitbucketCloud: [
    'repository',
    'full_name',
    'links',
    'html',
    'href',
    'push',
    'changes',
    'new',
    'type',
    'name',
  ],
};

const PROVIDERS = Object.keys(KEYS) as WebhookProvider[];

const isString = (value: unknown) => typeof value === 'string';

describe.each(PROVIDERS)('parsePush(%s) (fuzzed)', provider => {
  it('reads any JSON body as a push event or refuses it with an InputError', () => {
    fuzz(
      fc.property(jsonish(KEYS[provider], 6), body => {
        let event;
        try {
          event = parsePush(provider, body);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
        // What the matcher reads afterwards has the types it expects.
        expect(
          event === undefined ||
            (event.repoURLs.every(isString) &&
              (event.ref === undefined || isString(event.ref)) &&
              (event.changedFiles ?? []).every(isString)),
        ).toBe(true);
      }),
    );
  });
});
