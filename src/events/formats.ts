/**
 * Wire formats shared with the Python services: RFC 3339 timestamps, ISO calendar dates and
 * decimal strings. Each checker returns `undefined` when the text is valid, or the reason it is
 * not, so schemas can report a precise message.
 */

// Date, separator (RFC 3339 allows `t` and, by its note, a space, which Python's str() emits),
// time, optional fraction (length checked below for a better message) and optional zone.
const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Most fractional-second digits accepted: Python `datetime` has microsecond precision. */
export const MAX_FRACTION_DIGITS = 6;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function calendarProblem(year: number, month: number, day: number): string | undefined {
  // Python's datetime has no year 0.
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return 'is not a real calendar date';
  }
  return undefined;
}

/**
 * Why `text` is not a timezone-aware RFC 3339 timestamp with at most 6 fractional digits
 * (e.g. `2025-01-18T09:00:00.123456Z`, `2025-01-18T04:00:00-05:00`), or `undefined` if it is.
 */
export function timestampProblem(text: string): string | undefined {
  const m = TIMESTAMP_RE.exec(text);
  if (m === null) return 'is not an RFC 3339 timestamp such as 2025-01-18T09:00:00.123456Z';
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = m;
  if (zulu === undefined && sign === undefined) {
    return "is naive: it needs 'Z' or a UTC offset such as +00:00";
  }
  if (fraction !== undefined && fraction.length > MAX_FRACTION_DIGITS) {
    return `has more than ${MAX_FRACTION_DIGITS} fractional digits`;
  }
  const calendar = calendarProblem(Number(y), Number(mo), Number(d));
  if (calendar !== undefined) return calendar;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return 'is not a real time of day';
  if (sign !== undefined && (Number(oh) > 23 || Number(om) > 59)) return 'has an impossible UTC offset';
  return undefined;
}

/** Why `text` is not an ISO `YYYY-MM-DD` date that exists in the calendar, or `undefined`. */
export function isoDateProblem(text: string): string | undefined {
  const m = DATE_RE.exec(text);
  if (m === null) return 'is not an ISO date (YYYY-MM-DD)';
  return calendarProblem(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Why `text` is not a finite decimal number as Python's `str(Decimal)` writes it (`150.25`,
 * `-0.5`, `1E-7`), or `undefined`. NaN and infinities are refused.
 */
export function decimalProblem(text: string): string | undefined {
  return DECIMAL_RE.test(text) ? undefined : 'is not a decimal string such as "150.25"';
}

/**
 * Converts a timestamp already accepted by {@link timestampProblem} to a `Date` (millisecond
 * precision: digits past the third are dropped).
 */
export function timestampToDate(text: string): Date {
  const m = TIMESTAMP_RE.exec(text);
  if (m === null) return new Date(Number.NaN);
  const [, y, mo, d, h, mi, s, fraction = '', , sign, oh = '0', om = '0'] = m;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offsetMinutes = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi) - offsetMinutes, Number(s), ms);
  return date;
}

/**
 * Formats a `Date` as RFC 3339 UTC with 6 fractional digits, the shape Pydantic writes
 * (`2025-01-18T09:00:00.123000Z`). `micros` (0-999) fills the digits a `Date` cannot hold.
 */
export function formatTimestamp(date: Date, micros = 0): string {
  const iso = date.toISOString(); // 2025-01-18T09:00:00.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

// Wall-clock microseconds: Date.now() only has milliseconds, so the sub-millisecond part comes
// from the monotonic clock, clamped into the current wall-clock millisecond and re-anchored when
// the clocks drift apart (NTP adjustments), so the result never strays from the wall clock.
let anchorWall = Date.now();
let anchorMono = performance.now();

/** The current time as an RFC 3339 UTC timestamp with microseconds, like Python's `datetime.now(UTC)`. */
export function nowTimestamp(): string {
  const wall = Date.now();
  const mono = performance.now();
  const derivedMicros = Math.floor((anchorWall + (mono - anchorMono)) * 1000);
  const lowMicros = wall * 1000;
  if (Math.abs(derivedMicros - lowMicros) > 2000) {
    anchorWall = wall;
    anchorMono = mono;
  }
  const micros = Math.min(Math.max(derivedMicros - lowMicros, 0), 999);
  return formatTimestamp(new Date(wall), micros);
}
