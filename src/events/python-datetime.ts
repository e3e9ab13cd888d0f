/**
 * How a Pydantic v2 `datetime` field reads a JSON value (pydantic-core 2.46 with speedate,
 * confirmed against it): RFC 3339 text with `T`, `t`, `_` or a space between date and time,
 * optional seconds, 1 or more fractional digits after `.` or `,` (digits past the sixth
 * dropped), `Z`, `±HH:MM` or `±HHMM` (also with U+2212 MINUS); or a Unix time, as a JSON number or
 * as a numeric string, in seconds, or in milliseconds when its magnitude is above 2e10. Python's
 * `datetime` holds years 1-9999. Used on the lenient read path only.
 */
import { daysInMonth, digitsAt, epochDay } from '../internal/dates.js';
import { LaxProblem, describe } from './python-lax.js';

/** A `datetime` as Pydantic builds it. */
export interface PythonDatetime {
  /** The date and time fields, counted in seconds from 1970-01-01T00:00:00 as if they were UTC. */
  readonly wallSeconds: number;
  /** Microseconds, 0-999999. */
  readonly micros: number;
  /** Offset east of UTC in seconds; `undefined` when the text has no zone (a naive datetime). */
  readonly offsetSeconds: number | undefined;
}

/** Above this magnitude a Unix time is in milliseconds (speedate's `MS_WATERSHED`). */
const MS_WATERSHED = 20_000_000_000;
/** 0001-01-01 (Python's `datetime` has no year 0) and 9999-12-31T23:59:59 in Unix seconds. */
const UNIX_0001 = -62_135_596_800;
const UNIX_9999 = 253_402_300_799;
const U32_MAX = 4_294_967_295;

const NAIVE = new LaxProblem("is naive: the Python models need a timezone-aware timestamp ('Z' or a UTC offset)");
const OUT_OF_RANGE = new LaxProblem('is outside the years 0001-9999 that Python datetimes hold');
const NOT_DATETIME = new LaxProblem('is not a datetime Pydantic reads (RFC 3339 text or a Unix time)');

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function allDigits(text: string, from: number, count: number): boolean {
  for (let i = from; i < from + count; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** Seconds from the epoch of a civil date and time read as UTC (years 1-9999). */
function civilSeconds(year: number, month: number, day: number, secondOfDay: number): number {
  return epochDay(year, month, day) * 86_400 + secondOfDay;
}

/** The RFC 3339 route of speedate: a datetime, or `undefined` when the text is not one. */
function fromRfc3339(text: string): PythonDatetime | undefined {
  if (text.length < 10 || !allDigits(text, 0, 4) || text[4] !== '-' || !allDigits(text, 5, 2) || text[7] !== '-' || !allDigits(text, 8, 2)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // A date alone reads as a naive midnight (Pydantic's date fallback).
  if (text.length === 10) return { wallSeconds: civilSeconds(year, month, day, 0), micros: 0, offsetSeconds: undefined };
  if (text.length < 16) return undefined;
  const separator = text[10];
  if (separator !== 'T' && separator !== 't' && separator !== ' ' && separator !== '_') return undefined;
  if (!allDigits(text, 11, 2) || text[13] !== ':' || !allDigits(text, 14, 2)) return undefined;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour > 23 || minute > 59) return undefined;
  let position = 16;
  let second = 0;
  let micros = 0;
  if (text[16] === ':') {
    if (!allDigits(text, 17, 2)) return undefined;
    second = digitsAt(text, 17, 2);
    if (second > 59) return undefined;
    position = 19;
    if (text[19] === '.' || text[19] === ',') {
      let count = 0;
      while (isDigit(text.charCodeAt(20 + count))) {
        if (count < 6) micros = micros * 10 + text.charCodeAt(20 + count) - 48;
        count += 1;
      }
      if (count === 0) return undefined;
      if (count < 6) micros *= 10 ** (6 - count);
      position = 20 + count;
    }
  }
  const offset = position === text.length ? undefined : zoneOffset(text, position);
  if (offset === null) return undefined;
  return { wallSeconds: civilSeconds(year, month, day, hour * 3600 + minute * 60 + second), micros, offsetSeconds: offset };
}

/** The UTC offset written from `position` to the end of `text`, or `null` when it is not one. */
function zoneOffset(text: string, position: number): number | null {
  const sign = text[position];
  if (sign === 'Z' || sign === 'z') return position + 1 === text.length ? 0 : null;
  if (sign !== '+' && sign !== '-' && sign !== '\u2212') return null;
  let at = position + 1;
  if (!allDigits(text, at, 2)) return null;
  const hours = digitsAt(text, at, 2);
  at += text[at + 2] === ':' ? 3 : 2;
  if (!allDigits(text, at, 2) || at + 2 !== text.length) return null;
  const minutes = digitsAt(text, at, 2);
  if (minutes > 59 || hours > 23) return null;
  return (sign === '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
}

/**
 * speedate's `from_timestamp_with_config`: an integer Unix time (seconds, or milliseconds above
 * the watershed) plus extra microseconds, as a UTC datetime.
 */
function fromTimestamp(timestamp: number, extraMicros: number): PythonDatetime | LaxProblem {
  // Anything this large is outside the years 1-9999 in either unit.
  if (!(Math.abs(timestamp) <= 1e15) || extraMicros > U32_MAX) return OUT_OF_RANGE;
  let seconds = timestamp;
  let micros = extraMicros;
  if (Math.abs(timestamp) > MS_WATERSHED) {
    seconds = Math.trunc(timestamp / 1000);
    let remainder = (timestamp % 1000) * 1000;
    if (remainder < 0) {
      seconds -= 1;
      remainder += 1_000_000;
    }
    micros += remainder;
  }
  if (micros >= 1_000_000) {
    seconds += Math.floor(micros / 1_000_000);
    micros %= 1_000_000;
  }
  if (seconds < UNIX_0001 || seconds > UNIX_9999) return OUT_OF_RANGE;
  return { wallSeconds: seconds, micros, offsetSeconds: 0 };
}

/** speedate's `from_float_with_config`, which pydantic-core uses for a JSON number. */
function fromJsonNumber(value: number): PythonDatetime | LaxProblem {
  if (Number.isNaN(value)) return NOT_DATETIME;
  if (Number.isInteger(value)) return fromTimestamp(value, 0);
  const fraction = Math.abs(value - Math.trunc(value)) * (Math.abs(value) <= MS_WATERSHED ? 1_000_000 : 1000);
  return fromTimestamp(Math.floor(value), Math.round(fraction));
}

const FLOAT_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * speedate's numeric-string route: an integer (sign, ASCII digits, at most i64) or, when the
 * integer reading stops at a `.`, a float. `undefined` when the text is neither.
 */
function fromNumericText(text: string): PythonDatetime | LaxProblem | undefined {
  const signed = text.length >= 2 && (text[0] === '-' || text[0] === '+');
  let stop = signed ? 1 : 0;
  while (stop < text.length && isDigit(text.charCodeAt(stop))) stop += 1;
  const digits = stop - (signed ? 1 : 0);
  if (stop === text.length && digits > 0) {
    const magnitude = digits >= 19 ? wrappingI64(text.slice(signed ? 1 : 0)) : Number(text.slice(signed ? 1 : 0));
    if (magnitude === undefined) return undefined;
    return fromTimestamp(text[0] === '-' ? -magnitude + 0 : magnitude, 0);
  }
  if (text[stop] !== '.' || !FLOAT_TEXT.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return OUT_OF_RANGE;
  const normalized = Math.abs(value) > MS_WATERSHED ? value / 1000 : value;
  const seconds = Math.floor(normalized);
  return fromTimestamp(seconds, Math.round((normalized - seconds) * 1_000_000));
}

/**
 * speedate's digit loop in wrapping i64 arithmetic: it fails as soon as the running value turns
 * negative, and a value that wraps past 2^64 back to a positive one is read as that value.
 */
function wrappingI64(digits: string): number | undefined {
  let value = 0n;
  for (const char of digits) {
    value = BigInt.asIntN(64, value * 10n + BigInt(char.charCodeAt(0) - 48));
    if (value < 0n) return undefined;
  }
  return Number(value);
}

/** The datetime Pydantic reads from a JSON string, or why it refuses it. */
export function pythonDatetimeFromText(text: string): PythonDatetime | LaxProblem {
  return fromRfc3339(text) ?? fromNumericText(text) ?? NOT_DATETIME;
}

/** The datetime Pydantic reads from a JSON value (string or number), or why it refuses it. */
export function pythonDatetime(value: unknown): PythonDatetime | LaxProblem {
  if (typeof value === 'string') return pythonDatetimeFromText(value);
  if (typeof value === 'number') return fromJsonNumber(value);
  return new LaxProblem(`must be a datetime (RFC 3339 text or a Unix time); got ${describe(value)}`);
}

/** The instant of `datetime` as a `Date` (millisecond precision); a naive one is read as UTC. */
export function pythonDatetimeToDate(datetime: PythonDatetime): Date {
  return new Date((datetime.wallSeconds - (datetime.offsetSeconds ?? 0)) * 1000 + Math.floor(datetime.micros / 1000));
}

/** A UTC datetime as Pydantic's `model_dump_json` writes it: `2025-01-18T09:00:00Z`, or `.ffffff` when it has microseconds. */
export function formatPythonUtc(datetime: PythonDatetime): string {
  const head = new Date(datetime.wallSeconds * 1000).toISOString().slice(0, 19);
  return datetime.micros === 0 ? `${head}Z` : `${head}.${String(datetime.micros).padStart(6, '0')}Z`;
}

/**
 * What a Pydantic `datetime` field of the platform's event models keeps of a JSON value, given
 * their check that it is timezone-aware: a string, exactly as written; a Unix time number, as the
 * text `model_dump_json` writes for it. Otherwise why the models refuse it.
 */
export function laxAwareTimestamp(value: unknown): string | LaxProblem {
  const datetime = pythonDatetime(value);
  if (datetime instanceof LaxProblem) return datetime;
  if (datetime.offsetSeconds === undefined) return NAIVE;
  return typeof value === 'string' ? value : formatPythonUtc(datetime);
}
