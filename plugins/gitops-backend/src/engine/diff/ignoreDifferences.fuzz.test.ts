import fc from 'fast-check';
import { fuzz, jsonish } from '../../__testUtils__/fuzz';
import { Manifest } from '../manifest';
import { IgnoreDifferencesRule, applyIgnoreRules } from './ignoreDifferences';
import { keepIgnoredLiveValues } from './respectIgnoreDifferences';
import {
  formatPointer,
  isPointerError,
  parsePointer,
  removeInPlace,
} from './pointer';

// ignoreDifferences come from anyone who writes an Application: pointers,
// globs, managers and jq results must come back as ignored paths or as
// notes, never as a throw, and never reach outside the two objects (an
// object's `__proto__` is Object.prototype, shared by the whole backend).

const FIELDS = ['spec', 'metadata', 'replicas', 'template', 'containers'];
const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

// Keys of objects: a ConfigMap may well hold a key named `__proto__`.
const KEYS = [...FIELDS, ...INHERITED];

const segment = fc.oneof(
  fc.constantFrom(...FIELDS, '', '~', '/', '~1'),
  fc.constantFrom(...INHERITED),
  fc.string({ maxLength: 4 }),
  fc.nat(3),
);

const pointerText = fc.oneof(
  // Pointers to paths, as users write them.
  fc.array(segment, { maxLength: 4 }).map(formatPointer),
  // And text made of what pointers are made of.
  fc
    .array(
      fc.oneof(
        fc.constantFrom('/', '~0', '~1', '~', '~2', '0', '-', ...FIELDS),
        fc.constantFrom(...INHERITED.map(name => `/${name}`)),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 8 },
    )
    .map(parts => parts.join('')),
);

// Object.prototype's own members now, to see that no run removed one. Under
// Jest, structuredClone (cloneJson) makes objects of Node's own realm, with
// another Object.prototype than the test's: both are watched.
const prototypes = [
  Object.prototype,
  Object.getPrototypeOf(structuredClone({})),
];
const saved = prototypes.map(prototype =>
  Object.getOwnPropertyDescriptors(prototype),
);
// Fails when a member is gone, after putting it back so that the next runs
// (and fast-check's shrinking) start from an intact prototype again.
const prototypeIntact = () => {
  const missing = prototypes.flatMap((prototype, i) =>
    Object.keys(saved[i]).filter(name => !Object.hasOwn(prototype, name)),
  );
  prototypes.forEach((prototype, i) =>
    Object.defineProperties(prototype, saved[i]),
  );
  expect(missing).toEqual([]);
};

describe('JSON pointers (fuzzed)', () => {
  it('parses any text into segments or a PointerError', () => {
    fuzz(
      fc.property(fc.oneof(pointerText, fc.string()), text => {
        const parsed = parsePointer(text);
        expect(
          isPointerError(parsed) || parsed.every(s => typeof s === 'string'),
        ).toBe(true);
      }),
    );
  });

  it('reads back every path it formats', () => {
    fuzz(
      fc.property(fc.array(segment, { maxLength: 5 }), segments => {
        expect(parsePointer(formatPointer(segments))).toEqual(
          segments.map(String),
        );
      }),
    );
  });

  it('removes only inside the document', () => {
    fuzz(
      fc.property(
        // An object, as every manifest is.
        fc.dictionary(fc.constantFrom(...FIELDS), jsonish(FIELDS), {
          noNullPrototype: true,
        }),
        fc.array(segment, { maxLength: 4 }),
        (doc, segments) => {
          const copy = structuredClone(doc);
          const removed = removeInPlace(copy, segments);
          prototypeIntact();
          // Nothing found, nothing changed.
          expect(removed ? doc : copy).toEqual(doc);
        },
      ),
    );
  });
});

const glob = fc.oneof(
  fc.constantFrom('', '*', '**', 'apps', 'Deploy*', '[', '!(', '{a,b}', '?'),
  fc.string({ maxLength: 6 }),
);
const managers = fc.constantFrom('kube-controller-manager', 'kubectl', 'hpa');

const rule: fc.Arbitrary<IgnoreDifferencesRule> = fc.record(
  {
    group: glob,
    kind: glob,
    name: fc.constantFrom('web', ''),
    namespace: fc.constantFrom('shop', ''),
    jsonPointers: fc.array(pointerText, { maxLength: 3 }),
    jqPathExpressions: fc.array(
      fc.oneof(fc.constantFrom(...INHERITED), fc.string({ maxLength: 8 })),
      { maxLength: 2 },
    ),
    managedFieldsManagers: fc.array(managers, { maxLength: 2 }),
  },
  { requiredKeys: ['kind'] },
);

// managedFields as the API server writes them, with arbitrary field trees.
const FIELDS_V1_KEYS = [
  'f:spec',
  'f:metadata',
  'f:replicas',
  'f:containers',
  'f:__proto__',
  'f:toString',
  'k:{"name":"app"}',
  'k:{',
  'v:1',
  'i:0',
  '.',
];
const managedFields = fc.array(
  fc.record({
    manager: managers,
    operation: fc.constantFrom('Apply', 'Update'),
    fieldsType: fc.constantFrom('FieldsV1', 'FieldsV2'),
    fieldsV1: jsonish(FIELDS_V1_KEYS, 5),
  }),
  { maxLength: 3 },
);

// The runner drops empty paths (the whole object) before they get here.
const pathSegments = fc.array(
  fc.array(segment, { minLength: 1, maxLength: 4 }),
  {
    maxLength: 3,
  },
);
const jqResults = fc.dictionary(
  fc.oneof(fc.constantFrom(...INHERITED), fc.string({ maxLength: 8 })),
  fc.oneof(
    fc.record({ desired: pathSegments, live: pathSegments }),
    fc.record({ error: fc.string({ maxLength: 8 }) }),
  ),
  { maxKeys: 3, noNullPrototype: true },
);

const deployment = (spec: unknown, extra: object = {}): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', ...extra },
  spec,
});

describe('applyIgnoreRules (fuzzed)', () => {
  it('answers any rules with paths and notes, leaving its inputs alone', () => {
    fuzz(
      fc.property(
        fc.array(rule, { maxLength: 3 }),
        jsonish(KEYS),
        jsonish(KEYS),
        managedFields,
        fc.option(jqResults, { nil: undefined }),
        (rules, desiredSpec, liveSpec, fields, jq) => {
          const desired = deployment(desiredSpec);
          const live = deployment(liveSpec, { managedFields: fields });
          const before = structuredClone({ desired, live });
          const result = applyIgnoreRules(desired, live, rules, { jq });
          prototypeIntact();
          expect({ desired, live }).toEqual(before);
          expect(result.ignored.every(i => i.path.startsWith('/'))).toBe(true);
        },
      ),
    );
  });

  it('keeps live values for a sync without touching anything else', () => {
    fuzz(
      fc.property(
        fc.array(rule, { maxLength: 3 }),
        jsonish(KEYS),
        jsonish(KEYS),
        managedFields,
        fc.option(jqResults, { nil: undefined }),
        (rules, desiredSpec, liveSpec, fields, jq) => {
          const desired = deployment(desiredSpec);
          const live = deployment(liveSpec, { managedFields: fields });
          const before = structuredClone({ desired, live });
          keepIgnoredLiveValues(desired, live, rules, jq);
          prototypeIntact();
          expect({ desired, live }).toEqual(before);
        },
      ),
    );
  });
});
