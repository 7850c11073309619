import { z } from 'zod';

/**
 * A boolean query parameter: exactly "true"/"1" or "false"/"0". z.coerce.boolean() would read
 * "false" as true (any non-empty string is truthy), and z.stringbool() also takes yes/on/y…, so a
 * typo would silently pick a side; anything else here is a 400 VALIDATION_FAILED naming the value.
 */
export function queryBool(description: string) {
  return z
    .enum(['true', 'false', '1', '0'], { error: (issue) => `expected true, false, 1 or 0, got ${JSON.stringify(issue.input)}` })
    .default('false')
    .transform((v) => v === 'true' || v === '1')
    .describe(`${description} (true|false|1|0; default false)`);
}
