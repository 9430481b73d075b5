import fc from 'fast-check';

// The same seed and budget as the backend's fuzz helper
// (plugins/gitops-backend/src/__testUtils__/fuzz.ts), read from the same
// GITOPS_FUZZ_SEED and GITOPS_FUZZ_RUNS, so one setting replays the suite.
export const FUZZ_SEED = Number(process.env.GITOPS_FUZZ_SEED ?? 20261202);
export const FUZZ_RUNS = Number(process.env.GITOPS_FUZZ_RUNS ?? 150);

/** Checks a property with the shared seed and budget. */
export function fuzz<T>(
  property: fc.IProperty<T>,
  overrides: fc.Parameters<T> = {},
): void {
  fc.assert(property, {
    seed: FUZZ_SEED,
    numRuns: FUZZ_RUNS,
    interruptAfterTimeLimit: 20_000,
    markInterruptAsFailure: true,
    ...overrides,
  });
}
