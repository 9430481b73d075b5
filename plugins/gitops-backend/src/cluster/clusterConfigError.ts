/** A destination cluster that cannot be used, and why. */
export class ClusterConfigError extends Error {
  readonly name = 'ClusterConfigError';
}
