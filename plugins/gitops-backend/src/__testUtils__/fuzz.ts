import fc from 'fast-check';

// One seed and one budget for every property-based test, so a failure in CI
// replays exactly on any machine. To search further locally, run with
// GITOPS_FUZZ_SEED=<n> and GITOPS_FUZZ_RUNS=<n>; a counter-example found that
// way becomes a regular test next to the code it breaks.
export const FUZZ_SEED = Number(process.env.GITOPS_FUZZ_SEED ?? 20261202);
export const FUZZ_RUNS = Number(process.env.GITOPS_FUZZ_RUNS ?? 150);
// The time bound of the property "nothing takes unbounded time": a property
// whose runs together pass it fails, as does an async run past RUN_TIMEOUT.
// Generous, because the machines that run the suite are shared.
export const FUZZ_TIME_LIMIT_MS = 20_000;
export const FUZZ_RUN_TIMEOUT_MS = 5_000;

export function fuzzParameters<T>(
  overrides: fc.Parameters<T> = {},
): fc.Parameters<T> {
  return {
    seed: FUZZ_SEED,
    numRuns: FUZZ_RUNS,
    interruptAfterTimeLimit: FUZZ_TIME_LIMIT_MS,
    markInterruptAsFailure: true,
    ...overrides,
  };
}

/** Checks a property with the shared seed and budget. */
export function fuzz<T>(
  property: fc.IProperty<T>,
  overrides?: fc.Parameters<T>,
): void {
  fc.assert(property, fuzzParameters(overrides));
}

/** The async variant; each run also has its own timeout. */
export async function fuzzAsync<T>(
  property: fc.IAsyncPropertyWithHooks<T>,
  overrides?: fc.Parameters<T>,
): Promise<void> {
  await fc.assert(
    property,
    fuzzParameters({ timeout: FUZZ_RUN_TIMEOUT_MS, ...overrides }),
  );
}

type ErrorClass = abstract new (...args: any[]) => Error;

/**
 * Runs `fn`; an error of one of `allowed` (the typed errors the caller turns
 * into a clear answer) is fine, any other error fails the property.
 */
export function throwsOnly(fn: () => unknown, ...allowed: ErrorClass[]): void {
  try {
    fn();
  } catch (error) {
    if (!allowed.some(type => error instanceof type)) throw error;
  }
}

export async function rejectsOnly(
  fn: () => Promise<unknown>,
  ...allowed: ErrorClass[]
): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!allowed.some(type => error instanceof type)) throw error;
  }
}

/**
 * JSON-ish values as YAML or a request body yields them, with keys that
 * matter to the code (so that the fuzzer gets past the first check) mixed
 * among random ones.
 */
export function jsonish(keys: readonly string[] = [], maxDepth = 4) {
  const key = keys.length
    ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 }))
    : fc.string({ maxLength: 8 });
  return fc.letrec(tie => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth },
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.string({ maxLength: 16 }),
      fc.array(tie('value'), { maxLength: 4 }),
      // YAML and JSON.parse give plain objects, never null-prototype ones.
      fc.dictionary(key, tie('value'), { maxKeys: 5, noNullPrototype: true }),
    ),
  })).value;
}
