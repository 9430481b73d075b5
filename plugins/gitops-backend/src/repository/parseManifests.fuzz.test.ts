import fc from 'fast-check';
import { stringify } from 'yaml';
import { fuzz, jsonish, throwsOnly } from '../__testUtils__/fuzz';
import { RepositoryError } from './errors';
import {
  objectsFromValue,
  parseConfigYaml,
  parseManifestFile,
} from './parseManifests';

// Rendered output is any text a tool printed: every one must come back as
// objects or as an InvalidManifest RepositoryError naming the file.
const MANIFEST_KEYS = ['apiVersion', 'kind', 'metadata', 'items', 'name'];

// Pieces YAML gives meaning to, so random text is more than one long scalar.
const yamlToken = fc.constantFrom(
  '---\n',
  '...\n',
  '- ',
  ': ',
  '&a ',
  '*a',
  '<<: *a\n',
  '{',
  '}',
  '[',
  ']',
  '!!str ',
  '!custom ',
  '|\n  ',
  '"',
  "'",
  '#',
  '\n  ',
  '\t',
  'kind: List\n',
  'apiVersion: v1\n',
  'items:\n',
  '%YAML 1.2\n',
  '\uFEFF',
);
const yamlText = fc
  .array(fc.oneof(yamlToken, fc.string({ maxLength: 6 })), { maxLength: 30 })
  .map(parts => parts.join(''));

// Well-formed documents of arbitrary values, as a renderer would print.
const multiDoc = fc
  .array(jsonish(MANIFEST_KEYS), { maxLength: 4 })
  .map(values => values.map(value => stringify(value)).join('---\n'));

describe('parseManifestFile (fuzzed)', () => {
  it('reads any YAML-like text or refuses it with a RepositoryError', () => {
    fuzz(
      fc.property(fc.oneof(yamlText, multiDoc), text => {
        throwsOnly(() => parseManifestFile('out.yaml', text), RepositoryError);
      }),
    );
  });

  it('reads any JSON-like text or refuses it with a RepositoryError', () => {
    fuzz(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          jsonish(MANIFEST_KEYS).map(value => JSON.stringify(value) ?? ''),
        ),
        text => {
          throwsOnly(
            () => parseManifestFile('out.json', text),
            RepositoryError,
          );
        },
      ),
    );
  });

  it('returns only objects with an apiVersion and a kind', () => {
    fuzz(
      fc.property(multiDoc, text => {
        try {
          for (const object of parseManifestFile('out.yaml', text)) {
            expect(typeof object.apiVersion).toBe('string');
            expect(typeof object.kind).toBe('string');
          }
        } catch (error) {
          if (!(error instanceof RepositoryError)) throw error;
        }
      }),
    );
  });

  it('checks any value a tool printed', () => {
    fuzz(
      fc.property(jsonish(MANIFEST_KEYS, 6), value => {
        throwsOnly(
          () => objectsFromValue('main.jsonnet', value),
          RepositoryError,
        );
      }),
    );
  });

  it('reads any tool configuration or refuses it with a RepositoryError', () => {
    fuzz(
      fc.property(yamlText, text => {
        throwsOnly(
          () => parseConfigYaml(text, 'kustomization.yaml'),
          RepositoryError,
        );
      }),
    );
  });
});
