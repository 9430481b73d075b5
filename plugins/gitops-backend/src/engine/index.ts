/**
 * The pure core of the reconciler: decisions about manifests, the sync order
 * and health. See README.md for the semantics users rely on.
 */
export * from './manifest';
export * from './annotations';
export * from './syncOptions';
export * from './tracking';
export * from './ordering';
export * from './health';
