import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';

type Fields = { [key: string]: (zImpl: typeof z) => z.ZodType };

/**
 * The input with the schema's defaults applied. The scaffolder checks input
 * against the JSON schema made from the zod fields but hands the handler the
 * raw values, so defaults (`project: default`, `revision: HEAD`, ...) would
 * otherwise be missing.
 */
export function parseInput<F extends Fields>(
  fields: F,
  input: unknown,
): { [K in keyof F]: z.output<ReturnType<F[K]>> } {
  const schema = z.object(
    Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f(z)])),
  );
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new InputError(`Invalid input: ${result.error.message}`);
  }
  return result.data as { [K in keyof F]: z.output<ReturnType<F[K]>> };
}

/** Declares an action's input fields, typed for both zod and the scaffolder. */
export function inputFields<F extends Fields>(fields: F): F {
  return fields;
}
