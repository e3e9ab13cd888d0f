/**
 * Calendar dates as Python's `datetime.date` knows them: years 0001-9999, the Gregorian leap
 * rule. One home for the check that feature keys, event schemas and timestamps all use.
 */

const ZERO = 48;

/** The number written by the `width` ASCII digits of `text` at `index` (already known digits). */
export function digitsAt(text: string, index: number, width: number): number {
  let value = 0;
  for (let i = index; i < index + width; i++) value = value * 10 + text.charCodeAt(i) - ZERO;
  return value;
}

/** Whether `year` is a leap year of the proleptic Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`; no `Date` made). */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468;
}

/**
 * Why the `YYYY-MM-DD` digits at the start of `text` (already known to be digits and dashes)
 * are not a real calendar day, or `undefined` when they are one.
 */
export function calendarProblemAt(text: string): string | undefined {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 1) return 'year must be 0001 or later';
  if (month < 1 || month > 12) return `month ${text.slice(5, 7)} does not exist`;
  if (day < 1 || day > daysInMonth(year, month)) return `day ${text.slice(8, 10)} does not exist in ${text.slice(0, 7)}`;
  return undefined;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Why `text` is not an ISO `YYYY-MM-DD` date naming a real calendar day (what Python's
 * `date.isoformat()` writes), or `undefined` when it is one.
 */
export function isoDateProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || !DATE_RE.test(text)) return 'expected YYYY-MM-DD';
  return calendarProblemAt(text);
}
