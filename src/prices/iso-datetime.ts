/** Python 3.11's `datetime.fromisoformat`, which upstream `parse_redis_price_json` applies to price timestamps: one port, to epoch milliseconds. */

import { daysInMonth, epochDay, isLeapYear } from '../internal/dates.js';

const ZERO = 48;

/** Whether `text[index]` is an ASCII digit. */
function isDigit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= ZERO && code <= ZERO + 9;
}

/** The number written by `width` ASCII digits at `index`, or -1 when they are not all digits. */
function digits(text: string, index: number, width: number): number {
  let value = 0;
  for (let i = index; i < index + width; i++) {
    if (!isDigit(text, i)) return -1;
    value = value * 10 + text.charCodeAt(i) - ZERO;
  }
  return value;
}

/** Where the date ends (CPython's `_find_isoformat_datetime_separator`). */
function separatorAt(text: string): number {
  const length = text.length;
  if (length === 7) return 7;
  if (text[4] === '-') {
    if (text[5] !== 'W') return 10;
    if (length > 8 && text[8] === '-') {
      if (length === 9) return -1;
      return length > 10 && isDigit(text, 10) ? 8 : 10;
    }
    return 8;
  }
  if (text[4] !== 'W') return 8;
  let index = 7;
  while (index < length && isDigit(text, index)) index++;
  if (index < 9) return index;
  return index % 2 === 0 ? 7 : 8;
}

/** Epoch day of `YYYY-MM-DD`, `YYYYMMDD`, `YYYY-Www[-D]` or `YYYYWww[D]`, or undefined. */
function parseDate(text: string): number | undefined {
  if (text.length !== 7 && text.length !== 8 && text.length !== 10) return undefined;
  const year = digits(text, 0, 4);
  if (year < 1 || year > 9999) return undefined;
  const dash = text[4] === '-';
  let at = dash ? 5 : 4;
  if (text[at] === 'W') {
    const week = digits(text, at + 1, 2);
    at += 3;
    let weekday = 1;
    if (text.length > at) {
      if ((text[at] === '-') !== dash) return undefined;
      if (dash) at++;
      weekday = digits(text, at, 1);
      if (text.length !== at + 1) return undefined;
    } else if (text.length !== at) return undefined;
    return weekDate(year, week, weekday);
  }
  const month = digits(text, at, 2);
  at += 2;
  if ((text[at] === '-') !== dash) return undefined;
  if (dash) at++;
  const day = digits(text, at, 2);
  if (text.length !== at + 2 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return epochDay(year, month, day);
}

/** Epoch day of an ISO week date (`date.fromisocalendar`), or undefined when it does not exist. */
function weekDate(year: number, week: number, weekday: number): number | undefined {
  if (weekday < 1 || weekday > 7) return undefined;
  const jan1 = (epochDay(year, 1, 1) + 3) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  const weekday1 = (jan1 + 7) % 7;
  const weeks = weekday1 === 3 || (weekday1 === 2 && isLeapYear(year)) ? 53 : 52;
  if (week < 1 || week > weeks) return undefined;
  const jan4 = epochDay(year, 1, 4);
  const monday1 = jan4 - ((((jan4 + 3) % 7) + 7) % 7);
  const day = monday1 + (week - 1) * 7 + (weekday - 1);
  return day > epochDay(9999, 12, 31) ? undefined : day;
}

/** `HH[:MM[:SS]]` or `HH[MM[SS]]` plus a fraction, as CPython's `parse_hh_mm_ss_ff` reads them. */
interface Clock {
  hour: number;
  minute: number;
  second: number;
  micros: number;
  /** Something other than digits follows (an error unless a zone follows). */
  trailing: boolean;
}

function parseClock(text: string, start: number, end: number): Clock | undefined {
  const parts = [0, 0, 0];
  let at = start;
  let separated = true;
  for (let i = 0; i < 3; i++) {
    const value = digits(text, at, 2);
    if (value < 0) return undefined;
    parts[i] = value;
    at += 2;
    const c = text[at] ?? '';
    at++;
    if (i === 0) separated = c === ':';
    // The clock ends here; whatever follows it (`c`) is for the caller to judge.
    if (at >= end) return clock(parts, 0, c !== '');
    if (separated && c === ':') continue;
    if (c === '.' || c === ',') break;
    if (separated) return undefined;
    at--;
  }
  const width = Math.min(end - at, 6);
  let micros = digits(text, at, width);
  if (micros < 0) return undefined;
  micros *= 10 ** (6 - width);
  at += width;
  while (isDigit(text, at)) at++;
  return clock(parts, micros, at < text.length);
}

function clock(parts: readonly number[], micros: number, trailing: boolean): Clock {
  return { hour: parts[0] ?? 0, minute: parts[1] ?? 0, second: parts[2] ?? 0, micros, trailing };
}

/** Milliseconds since midnight UTC of a time and its zone, or undefined. Naive times are UTC. */
function parseTime(text: string, start: number): number | undefined {
  const end = text.length;
  if (end - start < 2) return undefined;
  let zone = start;
  while (zone < end && text[zone] !== 'Z' && text[zone] !== '+' && text[zone] !== '-') zone++;
  const time = parseClock(text, start, zone);
  if (time === undefined || time.hour > 23 || time.minute > 59 || time.second > 59) return undefined;
  const seconds = (time.hour * 60 + time.minute) * 60 + time.second;
  if (zone === end) return time.trailing ? undefined : seconds * 1000 + Math.floor(time.micros / 1000);
  if (text[zone] === 'Z') return zone === end - 1 ? seconds * 1000 + Math.floor(time.micros / 1000) : undefined;
  const offset = parseClock(text, zone + 1, end);
  if (offset === undefined || offset.trailing) return undefined;
  const offsetSeconds = (offset.hour * 60 + offset.minute) * 60 + offset.second;
  // CPython ignores the zone's microseconds when its whole seconds are zero.
  const offsetMicros = offsetSeconds === 0 ? 0 : offsetSeconds * 1_000_000 + offset.micros;
  if (offsetMicros >= 86_400_000_000) return undefined;
  // In microseconds (below 2^53 within a day), truncated to milliseconds once, as Python would.
  const micros = seconds * 1_000_000 + time.micros + (text[zone] === '-' ? offsetMicros : -offsetMicros);
  return Math.floor(micros / 1000);
}

/** What Python's `isoformat()` writes (`2025-01-17T14:30:15.123456+00:00`), read without the general parser. */
const COMMON = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})?$/;

/** {@link parsePythonIsoDatetime} of a text matching {@link COMMON}: the same checks and arithmetic. */
function parseCommon(text: string): number | undefined {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const last = text.length - 1;
  const zone = text[last] === 'Z' ? last : text[text.length - 6] === '+' || text[text.length - 6] === '-' ? text.length - 6 : text.length;
  const width = zone - 20;
  const micros = width > 0 ? digits(text, 20, width) * 10 ** (6 - width) : 0;
  let offsetMicros = 0;
  if (zone === text.length - 6) {
    const offsetSeconds = digits(text, zone + 1, 2) * 3600 + digits(text, zone + 4, 2) * 60;
    if (offsetSeconds >= 86_400) return undefined;
    offsetMicros = text[zone] === '-' ? -offsetSeconds * 1_000_000 : offsetSeconds * 1_000_000;
  }
  const clockMicros = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros - offsetMicros;
  return epochDay(year, month, day) * 86_400_000 + Math.floor(clockMicros / 1000);
}

/**
 * The instant `text` names as Python 3.11's `datetime.fromisoformat` reads it, in epoch
 * milliseconds (microseconds truncated), or `undefined` where Python raises `ValueError`.
 * A naive time is read as UTC, as upstream `parse_redis_price_json` does
 * (`price_ts.replace(tzinfo=UTC)`).
 *
 * Accepted, as in CPython: `YYYY-MM-DD`, `YYYYMMDD` and ISO week dates (`2025-W03-5`), alone or
 * followed by any one separator character and a time `HH[:MM[:SS[.f...]]]` (or without colons),
 * any number of fractional digits (`.` or `,`, six kept), and `Z` or an offset `±HH[:MM[:SS[.f]]]`.
 */
export function parsePythonIsoDatetime(text: string): number | undefined {
  if (COMMON.test(text)) return parseCommon(text);
  if (text.length < 7) return undefined;
  const separator = separatorAt(text);
  if (separator < 0 || separator > text.length) return undefined;
  const day = parseDate(text.slice(0, separator));
  if (day === undefined) return undefined;
  if (separator === text.length) return day * 86_400_000;
  const width = (text.codePointAt(separator) ?? 0) > 0xffff ? 2 : 1;
  const ms = parseTime(text, separator + width);
  return ms === undefined ? undefined : day * 86_400_000 + ms;
}
