import fc from 'fast-check';
import {
  COMPARE_OPTIONS_ANNOTATION,
  HELM_HOOK_ANNOTATION,
  HELM_HOOK_DELETE_POLICY_ANNOTATION,
  HELM_HOOK_WEIGHT_ANNOTATION,
  HOOK_ANNOTATION,
  HOOK_DELETE_POLICY_ANNOTATION,
  IGNORE_HEALTHCHECK_ANNOTATION,
  SYNC_OPTIONS_ANNOTATION,
  SYNC_WAVE_ANNOTATION,
} from '@backstage-gitops/plugin-gitops-common';
import { fuzz } from '../__testUtils__/fuzz';
import { newJob } from './__testing__/builders';
import {
  AnnotationError,
  HOOK_DELETE_POLICIES,
  HOOK_TYPES,
  deletePolicies,
  hookTypes,
  ignoreHealthcheck,
  syncWave,
} from './annotations';
import { Manifest } from './manifest';
import { compareOptions, syncOptions } from './syncOptions';

// Annotations are anyone's text in Git: every parser answers with a value
// or an AnnotationError (a condition for the user), never a throw, and
// never a value outside its type.

// Words the parsers know, and names every plain object has, so lookups in
// a table keyed by text are tried with inherited keys too.
const word = fc.constantFrom(
  ...HOOK_TYPES,
  ...HOOK_DELETE_POLICIES,
  'pre-install',
  'post-upgrade',
  'test',
  'crd-install',
  'hook-succeeded',
  'before-hook-creation',
  'Prune=false',
  'PrunePropagationPolicy=orphan',
  'ServerSideDiff=true',
  'IgnoreExtraneous',
  'true',
  'false',
  '-3',
  '+7',
  '1e3',
  '0x10',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
);
const separator = fc.constantFrom(',', ', ', ' ', '=', '\n', '\t', '');
const annotationText = fc.oneof(
  // A list as users write one, so each word is seen on its own.
  fc.array(word, { minLength: 1, maxLength: 3 }).map(items => items.join(',')),
  fc
    .array(fc.oneof(word, separator, fc.string({ maxLength: 6 })), {
      maxLength: 12,
    })
    .map(parts => parts.join('')),
);

const KEYS = [
  SYNC_WAVE_ANNOTATION,
  HELM_HOOK_WEIGHT_ANNOTATION,
  HOOK_ANNOTATION,
  HELM_HOOK_ANNOTATION,
  HOOK_DELETE_POLICY_ANNOTATION,
  HELM_HOOK_DELETE_POLICY_ANNOTATION,
  IGNORE_HEALTHCHECK_ANNOTATION,
  SYNC_OPTIONS_ANNOTATION,
  COMPARE_OPTIONS_ANNOTATION,
];

// Any subset of the annotations, each with arbitrary text.
const annotated = fc
  .dictionary(fc.constantFrom(...KEYS), annotationText, { maxKeys: 4 })
  .map(
    (annotations): Manifest => ({
      ...newJob(),
      metadata: { ...newJob().metadata, annotations },
    }),
  );

const hookTypeSet = new Set<string>(HOOK_TYPES);
const deletePolicySet = new Set<string>(HOOK_DELETE_POLICIES);

describe('annotation parsers (fuzzed)', () => {
  it('read a sync wave as a safe integer or an AnnotationError', () => {
    fuzz(
      fc.property(annotated, obj => {
        const wave = syncWave(obj);
        expect(
          wave instanceof AnnotationError || Number.isSafeInteger(wave),
        ).toBe(true);
      }),
    );
  });

  it('read hook types as known types or an AnnotationError', () => {
    fuzz(
      fc.property(annotated, obj => {
        const types = hookTypes(obj);
        const unknown =
          types instanceof AnnotationError
            ? []
            : types.filter(type => !hookTypeSet.has(type));
        expect(unknown).toEqual([]);
      }),
    );
  });

  it('read delete policies as known policies or an AnnotationError', () => {
    fuzz(
      fc.property(annotated, obj => {
        const policies = deletePolicies(obj);
        const read = policies instanceof AnnotationError ? undefined : policies;
        expect(read === undefined || read.length > 0).toBe(true);
        expect((read ?? []).filter(p => !deletePolicySet.has(p))).toEqual([]);
      }),
    );
  });

  it('read ignore-healthcheck as a boolean or an AnnotationError', () => {
    fuzz(
      fc.property(annotated, obj => {
        const ignored = ignoreHealthcheck(obj);
        expect(
          ignored instanceof AnnotationError || typeof ignored === 'boolean',
        ).toBe(true);
      }),
    );
  });

  it('keep every sync option entry they cannot use', () => {
    fuzz(
      fc.property(
        annotated,
        fc.array(annotationText, { maxLength: 4 }),
        (obj, appWide) => {
          const options = syncOptions(obj, appWide);
          expect([true, false, 'confirm']).toContain(options.prune);
          expect([true, false, 'confirm']).toContain(options.delete);
          expect(['foreground', 'background', 'orphan']).toContain(
            options.prunePropagationPolicy,
          );
          for (const entry of [...options.unknown, ...options.invalid]) {
            expect(typeof entry).toBe('string');
          }
        },
      ),
    );
  });

  it('read compare options into booleans and kept leftovers', () => {
    fuzz(
      fc.property(annotated, obj => {
        const options = compareOptions(obj);
        expect(typeof options.ignoreExtraneous).toBe('boolean');
        for (const value of [
          options.serverSideDiff,
          options.includeMutationWebhook,
        ]) {
          expect(value === undefined || typeof value === 'boolean').toBe(true);
        }
      }),
    );
  });
});
