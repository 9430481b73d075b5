const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a Go duration as Argo CD writes them (`1h30m`, `45s`,
 * `1.5h`); undefined when it is not one. Go's syntax is small and fixed, so
 * a regular expression reads it fully; no library parses exactly this form.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(
    /(\d+(?:\.\d+)?)(ms|s|m|h)/g,
  )) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return total;
}
