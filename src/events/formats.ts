/**
 * Wire formats shared with the Python services: RFC 3339 timestamps, ISO calendar dates and
 * decimal strings. Each checker returns `undefined` when the text is valid, or the reason it is
 * not, so schemas can report a precise message.
 */
import { calendarProblemAt, digitsAt } from '../internal/dates.js';

// Date, separator (RFC 3339 allows `t` and, by its note, a space, which Python's str() emits),
// time, optional fraction (length checked below for a better message) and optional zone (its
// absence is reported as "naive"). Fields sit at fixed offsets, read without captures: this runs
// for every event sent or received. A hand-written char-code matcher was measured at about twice
// the cost of these compiled regular expressions, so they stay.
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Most fractional-second digits accepted: Python `datetime` has microsecond precision. */
export const MAX_FRACTION_DIGITS = 6;

const PLUS = 43;
const MINUS = 45;
const DOT = 46;

/** Where the zone starts in a timestamp matching TIMESTAMP_RE (`text.length` when naive). */
function zoneStart(text: string): number {
  const last = text.length - 1;
  const code = text.charCodeAt(last);
  if (code === 90 || code === 122) return last; // Z or z
  // Only an offset puts a sign 6 characters from the end: the date's dashes are further left.
  const sign = text.charCodeAt(text.length - 6);
  return sign === PLUS || sign === MINUS ? text.length - 6 : text.length;
}

/**
 * Why `text` is not a timezone-aware RFC 3339 timestamp with at most 6 fractional digits
 * (e.g. `2025-01-18T09:00:00.123456Z`, `2025-01-18T04:00:00-05:00`), or `undefined` if it is.
 */
export function timestampProblem(text: string): string | undefined {
  if (!TIMESTAMP_RE.test(text)) return 'is not an RFC 3339 timestamp such as 2025-01-18T09:00:00.123456Z';
  const zone = zoneStart(text);
  if (zone === text.length) return "is naive: it needs 'Z' or a UTC offset such as +00:00";
  if (text.charCodeAt(19) === DOT && zone - 20 > MAX_FRACTION_DIGITS) {
    return `has more than ${MAX_FRACTION_DIGITS} fractional digits`;
  }
  if (calendarProblemAt(text) !== undefined) return 'is not a real calendar date';
  if (digitsAt(text, 11, 2) > 23 || digitsAt(text, 14, 2) > 59 || digitsAt(text, 17, 2) > 59) {
    return 'is not a real time of day';
  }
  if (zone === text.length - 6 && (digitsAt(text, zone + 1, 2) > 23 || digitsAt(text, zone + 4, 2) > 59)) {
    return 'has an impossible UTC offset';
  }
  return undefined;
}

/** Why `text` is not an ISO `YYYY-MM-DD` date that exists in the calendar, or `undefined`. */
export function isoDateProblem(text: string): string | undefined {
  if (!DATE_RE.test(text)) return 'is not an ISO date (YYYY-MM-DD)';
  const why = calendarProblemAt(text);
  return why === undefined ? undefined : `is not a real calendar date (${why})`;
}

/**
 * Why `text` is not a finite decimal number as Python's `str(Decimal)` writes it (`150.25`,
 * `-0.5`, `1E-7`), or `undefined`. NaN and infinities are refused.
 */
export function decimalProblem(text: string): string | undefined {
  return DECIMAL_RE.test(text) ? undefined : 'is not a decimal string such as "150.25"';
}

/**
 * Why `text` is not a decimal string of a number >= 0 ({@link decimalProblem}; `-0` counts as
 * zero, as Python's `Decimal('-0') >= 0`), or `undefined`.
 */
export function nonNegativeDecimalProblem(text: string): string | undefined {
  const problem = decimalProblem(text);
  if (problem !== undefined) return problem;
  return text.startsWith('-') && /[1-9]/.test(text.split(/[eE]/, 1)[0] ?? '') ? 'is below zero' : undefined;
}

/**
 * Converts a timestamp already accepted by {@link timestampProblem} to a `Date` (millisecond
 * precision: digits past the third are dropped). Anything else gives an invalid `Date`.
 */
export function timestampToDate(text: string): Date {
  if (timestampProblem(text) !== undefined) return new Date(Number.NaN);
  const zone = zoneStart(text);
  const fraction = text.charCodeAt(19) === DOT ? text.slice(20, zone) : '';
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offsetMinutes =
    zone === text.length - 6
      ? (text.charCodeAt(zone) === MINUS ? -1 : 1) * (digitsAt(text, zone + 1, 2) * 60 + digitsAt(text, zone + 4, 2))
      : 0;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(digitsAt(text, 0, 4), digitsAt(text, 5, 2) - 1, digitsAt(text, 8, 2));
  date.setUTCHours(digitsAt(text, 11, 2), digitsAt(text, 14, 2) - offsetMinutes, digitsAt(text, 17, 2), ms);
  return date;
}

// Formatting a Date is costly next to the rest of event construction, and events are created
// many times per second: the `YYYY-MM-DDTHH:MM:SS` part is cached per second, and
// `nowTimestamp` caches the text up to the milliseconds per millisecond.
let cachedSecond = Number.NaN;
let cachedPrefix = '';
let cachedMilli = Number.NaN;
let cachedMilliPrefix = '';

/** `'000'` to `'999'`, the three-digit groups of a fraction. */
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

function secondPrefix(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    cachedSecond = second;
  }
  return cachedPrefix;
}

/** `YYYY-MM-DDTHH:MM:SS.mmm` of an integer epoch millisecond. */
function milliPrefix(epochMs: number): string {
  if (epochMs !== cachedMilli) {
    cachedMilliPrefix = `${secondPrefix(epochMs)}.${THREE_DIGITS[epochMs - Math.floor(epochMs / 1000) * 1000] ?? ''}`;
    cachedMilli = epochMs;
  }
  return cachedMilliPrefix;
}

function formatEpoch(epochMs: number, micros: number): string {
  const fraction = (epochMs - Math.floor(epochMs / 1000) * 1000) * 1000 + micros;
  return `${secondPrefix(epochMs)}.${String(fraction).padStart(6, '0')}Z`;
}

/**
 * Formats a `Date` as RFC 3339 UTC with 6 fractional digits, the shape Pydantic writes
 * (`2025-01-18T09:00:00.123000Z`). `micros` (0-999) fills the digits a `Date` cannot hold.
 * The date must be valid and within years 0001-9999 (what Python's `datetime` can hold).
 */
export function formatTimestamp(date: Date, micros = 0): string {
  return formatEpoch(date.getTime(), micros);
}

// Wall-clock microseconds: Date.now() only has milliseconds, so the sub-millisecond part comes
// from the monotonic clock, clamped into the current wall-clock millisecond and re-anchored when
// the clocks drift apart (NTP adjustments), so the result never strays from the wall clock.
let anchorWall = Date.now();
let anchorMono = performance.now();

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the wall-clock span a wire timestamp can hold. */
const FIRST_WIRE_MS = -62_135_596_800_000;
const LAST_WIRE_MS = 253_402_300_799_999;

/**
 * Whether the wall clock is within years 0001-9999, where {@link nowTimestamp} always returns a
 * valid wire timestamp (outside them it cannot, and says so only by failing validation).
 */
export function clockInWireRange(): boolean {
  const now = Date.now();
  return now >= FIRST_WIRE_MS && now <= LAST_WIRE_MS;
}

/**
 * The current time as an RFC 3339 UTC timestamp with microseconds, like Python's
 * `datetime.now(UTC)`; valid for the wire schema whenever {@link clockInWireRange} holds.
 */
export function nowTimestamp(): string {
  const wall = Date.now();
  const mono = performance.now();
  const derivedMicros = Math.floor((anchorWall + (mono - anchorMono)) * 1000);
  const lowMicros = wall * 1000;
  if (Math.abs(derivedMicros - lowMicros) > 2000) {
    anchorWall = wall;
    anchorMono = mono;
  }
  // An integer in 0-999, so the table always has it; same text as formatEpoch(wall, micros).
  const micros = Math.min(Math.max(derivedMicros - lowMicros, 0), 999);
  return `${milliPrefix(wall)}${THREE_DIGITS[micros] ?? ''}Z`;
}
