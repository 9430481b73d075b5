import fc from 'fast-check';
import { fuzzAsync, jsonish, rejectsOnly } from '../../__testUtils__/fuzz';
import { JqError, createJqRunner } from './jqRunner';

// jqPathExpressions are anyone's text: real jq answers each with paths or a
// JqError (a note in words), within its time limit; nothing else escapes.
// Few runs, as each one is a round trip to jq's worker.

const jqToken = fc.constantFrom(
  '.',
  '..',
  '.spec',
  '.containers[]',
  '[0]',
  '[]',
  '?',
  '|',
  ',',
  'select(.name == "app")',
  'recurse',
  'def f: f; f',
  'error(.spec)',
  'length',
  'env',
  '$__loc__',
  'input',
  '"',
  '(',
  ')',
  '{',
  '}',
  ' ',
);
const expression = fc.oneof(
  fc.array(jqToken, { maxLength: 6 }).map(parts => parts.join('')),
  fc.string({ maxLength: 12 }),
);

describe('jq path expressions (fuzzed)', () => {
  const runner = createJqRunner({ timeoutMs: 1000 });
  afterAll(() => runner.close());

  it('answers any expression with paths or a JqError', async () => {
    await fuzzAsync(
      fc.asyncProperty(
        expression,
        jsonish(['spec', 'containers', 'name']),
        async (text, doc) => {
          await rejectsOnly(async () => {
            const paths = await runner.paths(text, doc);
            expect(paths.every(path => Array.isArray(path))).toBe(true);
          }, JqError);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
