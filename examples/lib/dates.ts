/**
 * Date checks of the examples, by the SDK's one calendar-date rule: its public `IsoDateSchema`
 * (years 0001-9999, the Gregorian leap rule), so an example never accepts a date the SDK refuses.
 */
import { IsoDateSchema } from '@trading-platform/redis-client';
import * as v from 'valibot';

/**
 * What is wrong with `text` as a `YYYY-MM-DD` calendar date, phrased to follow a field name
 * and ending in the SDK's own reason (`must be a date YYYY-MM-DD: "0000-01-01" is not a real
 * calendar date (year must be 0001 or later)`), or `undefined` when it is one.
 */
export function dateProblem(text: string): string | undefined {
  const result = v.safeParse(IsoDateSchema, text);
  return result.success ? undefined : `must be a date YYYY-MM-DD: ${result.issues[0].message}`;
}
