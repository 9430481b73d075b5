import fc from 'fast-check';
import { fuzz } from './__testUtils__/fuzz';
import { checkApplicationDefinition } from './applicationDefinition';
import {
  checkRepoPath,
  checkRepoUrl,
  hasUrlCredentials,
  maskUrlCredentials,
  normaliseRepoUrl,
} from './repoUrl';
import { parseIgnoreDifferences, parseRetryText } from './syncSettings';
import { ApplicationDefinition } from './types';

// The checks every source of definitions shares answer with an error string
// (or undefined), never a throw: one bad definition must not hide the others.

// What URLs and paths are made of, so random text reaches past the first test.
const urlText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'https://',
        'http://',
        'ssh://',
        'git@',
        'ext::',
        'file://',
        '-o',
        'user:pw@',
        'Host.Example.COM',
        ':',
        '/',
        '//',
        '..',
        '.git',
        '%',
        '%zz',
        '[::1]',
        ' ',
        '\\',
        'C:\\',
      ),
      fc.string({ maxLength: 5 }),
    ),
    { maxLength: 8 },
  )
  .map(parts => parts.join(''));
const anyText = fc.oneof(urlText, fc.string({ maxLength: 30 }));

const isAnswer = (value: unknown) =>
  value === undefined || typeof value === 'string';

describe('repository checks (fuzzed)', () => {
  it('check any URL into a reason or acceptance', () => {
    fuzz(
      fc.property(anyText, fc.boolean(), (url, allowHttp) => {
        expect(isAnswer(checkRepoUrl(url, { allowHttp }))).toBe(true);
      }),
    );
  });

  it('never accept a URL git would take for an option or a helper', () => {
    fuzz(
      fc.property(anyText, url => {
        const refused =
          url.startsWith('-') || /^[a-z0-9+.-]+::/i.test(url) || url === '';
        expect(!refused || checkRepoUrl(url) !== undefined).toBe(true);
      }),
    );
  });

  it('accept only paths that stay inside the checkout', () => {
    fuzz(
      fc.property(anyText, path => {
        const problem = checkRepoPath(path);
        const escapes =
          path.startsWith('/') || path.split(/[\\/]/).includes('..');
        expect(isAnswer(problem) && (!escapes || problem !== undefined)).toBe(
          true,
        );
      }),
    );
  });

  it('normalise any URL to text', () => {
    fuzz(
      fc.property(anyText, url => {
        expect(typeof normaliseRepoUrl(url)).toBe('string');
      }),
    );
  });

  it('mask the credentials of any URL in any text', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/);
    fuzz(
      fc.property(
        anyText,
        fc.constantFrom('https', 'http', 'ssh', 'HTTPS'),
        secret,
        anyText,
        (before, scheme, token, after) => {
          const text = `${before} ${scheme}://user:${token}@host.example.com/repo.git ${after}`;
          const masked = maskUrlCredentials(text);
          expect(masked.includes(token)).toBe(false);
          expect(maskUrlCredentials(masked)).toBe(masked);
          expect(hasUrlCredentials(text)).toBe(true);
        },
      ),
    );
  });
});

// Values as YAML, JSON or app-config give them.
const KEYS = [
  'group',
  'kind',
  'name',
  'namespace',
  'jsonPointers',
  'jqPathExpressions',
  'managedFieldsManagers',
];
const oneKey = fc.nat(KEYS.length - 1).map(i => KEYS[i]);
const value = fc.letrec(tie => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(oneKey, fc.string({ maxLength: 6 })), tie('value'), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  ),
})).value;

describe('sync settings checks (fuzzed)', () => {
  it('read any ignoreDifferences value into rules or a reason', () => {
    fuzz(
      fc.property(fc.oneof(value, fc.array(value, { maxLength: 3 })), input => {
        const parsed = parseIgnoreDifferences(input);
        const rules = typeof parsed === 'string' ? [] : parsed;
        expect(rules.every(rule => typeof rule.kind === 'string')).toBe(true);
      }),
    );
  });

  it('read any retry text into a policy or a reason', () => {
    fuzz(
      fc.property(
        fc
          .array(
            fc.oneof(
              fc.constantFrom(
                'limit=',
                'duration=',
                'factor=',
                'maxDuration=',
                '5',
                '1m30s',
                ', ',
                'constructor=1',
                '__proto__=1',
              ),
              fc.string({ maxLength: 4 }),
            ),
            { maxLength: 8 },
          )
          .map(parts => parts.join('')),
        text => {
          const policy = parseRetryText(text);
          expect(
            typeof policy === 'string' || Number.isInteger(policy.limit),
          ).toBe(true);
        },
      ),
    );
  });

  it('check any application definition into a reason or acceptance', () => {
    const definition: fc.Arbitrary<ApplicationDefinition> = fc.record({
      name: anyText,
      origin: fc.constantFrom('catalog', 'config', 'argocd'),
      entityRefs: fc.array(anyText, { maxLength: 2 }),
      source: fc.record({
        repoURL: anyText,
        path: anyText,
        targetRevision: anyText,
      }),
      destination: fc.record({ cluster: anyText, namespace: anyText }),
      syncPolicy: fc.record({
        syncOptions: fc.array(anyText, { maxLength: 3 }),
      }),
      ignoreDifferences: fc.array(value, { maxLength: 2 }) as fc.Arbitrary<
        ApplicationDefinition['ignoreDifferences']
      >,
    }) as fc.Arbitrary<ApplicationDefinition>;
    fuzz(
      fc.property(definition, fc.boolean(), (application, allowHttp) => {
        expect(
          isAnswer(checkApplicationDefinition(application, { allowHttp })),
        ).toBe(true);
      }),
    );
  });
});
